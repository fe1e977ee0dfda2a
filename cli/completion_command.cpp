#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/completion_model.h"

namespace pktmask::cli {

void add_completion(CLI::App& app, Action& action) {
  auto shell = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand("completion", "Print the shell completion script for bash or zsh");
  command->footer(
      "The script is generated from pktmask's own command-line definition, so it\n"
      "offers exactly the subcommands, options and option values this pktmask\n"
      "has. `make install` and the Debian package install both scripts; to set\n"
      "one up by hand:\n\n"
      "Examples:\n"
      "  pktmask completion bash > ~/.local/share/bash-completion/completions/pktmask\n"
      "  pktmask completion zsh > ~/.zfunc/_pktmask   # with fpath+=(~/.zfunc) before compinit");
  command->add_option("shell", *shell, "bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));
  command->callback([shell, &app, &action] {
    action = [shell, &app] {
      CompletionModel model = completion_model(app);
      fmt::print("{}", *shell == "bash" ? bash_completion(model) : zsh_completion(model));
    };
  });
}

}  // namespace pktmask::cli
