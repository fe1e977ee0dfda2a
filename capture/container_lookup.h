#pragma once
// Finds a container's init process from the cgroup paths in /proc, without
// asking a container runtime: the runtimes name a container's cgroup after
// its 64-hex-digit id (docker-ID.scope, cri-containerd-ID.scope,
// libpod-ID.scope, crio-ID.scope, or a directory named ID as in /docker/ID).

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace pktmask {

// The full container id a cgroup path names (its innermost such component),
// if any.
std::optional<std::string> container_id_in_cgroup(std::string_view cgroup_path);

// `id`: the full id or a unique prefix of at least 12 hex digits. The init
// process is the container's process whose parent is outside the container
// (the lowest pid if several are). Throws Error: start_invalid_params for a
// malformed or ambiguous id, start_process_not_found when no process runs in
// such a container.
pid_t find_container_init(const std::string& id, const std::string& proc = "/proc");

}  // namespace pktmask
