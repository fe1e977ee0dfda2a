# `make install` (DESTDIR and CMAKE_INSTALL_PREFIX honoured) and what the
# Debian package holds: the binary (cli/), its man pages and shell
# completion, both generated from the binary at build time, and the docs.
include(GNUInstallDirs)

option(PKTMASK_MAN_PAGES "Generate and install the man pages (needs help2man)" ON)
if(PKTMASK_MAN_PAGES)
  find_program(HELP2MAN help2man)
  if(NOT HELP2MAN)
    message(FATAL_ERROR "help2man not found: install it (Debian: apt-get install help2man) "
                        "or configure with -DPKTMASK_MAN_PAGES=OFF")
  endif()
  set(man_dir ${PROJECT_BINARY_DIR}/man)
  file(GLOB man_includes ${PROJECT_SOURCE_DIR}/docs/man/*.h2m)
  add_custom_command(OUTPUT ${man_dir}/pktmask.1.gz
                     COMMAND sh ${PROJECT_SOURCE_DIR}/cmake/man_pages.sh $<TARGET_FILE:pktmask> ${HELP2MAN} ${man_dir}
                             ${PROJECT_SOURCE_DIR}/docs/man ${PROJECT_VERSION}
                     DEPENDS pktmask ${PROJECT_SOURCE_DIR}/cmake/man_pages.sh ${man_includes}
                     COMMENT "Writing the man pages with help2man"
                     VERBATIM)
  add_custom_target(pktmask_man_pages ALL DEPENDS ${man_dir}/pktmask.1.gz)
  install(DIRECTORY ${man_dir}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 FILES_MATCHING PATTERN "*.1.gz")
endif()

set(completion_dir ${PROJECT_BINARY_DIR}/completion)
add_custom_command(OUTPUT ${completion_dir}/pktmask ${completion_dir}/_pktmask
                   COMMAND ${CMAKE_COMMAND} -E make_directory ${completion_dir}
                   COMMAND sh -c "\"$1\" completion bash >\"$2/pktmask\" && \"$1\" completion zsh >\"$2/_pktmask\""
                           sh $<TARGET_FILE:pktmask> ${completion_dir}
                   DEPENDS pktmask
                   COMMENT "Writing the bash and zsh completion"
                   VERBATIM)
add_custom_target(pktmask_completion ALL DEPENDS ${completion_dir}/pktmask ${completion_dir}/_pktmask)
install(FILES ${completion_dir}/pktmask DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
# zsh searches vendor-completions under /usr (Debian's zsh) and
# site-functions under any other prefix: chosen when installing, since the
# Debian package installs under /usr whatever prefix the build was given.
install(CODE "
  if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
    set(zsh_dir vendor-completions)
  else()
    set(zsh_dir site-functions)
  endif()
  file(INSTALL \"${completion_dir}/_pktmask\"
       DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/zsh/\${zsh_dir}\")")

file(GLOB doc_pages ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${doc_pages} ${PROJECT_SOURCE_DIR}/docs/report-screenshot.png
              ${PROJECT_SOURCE_DIR}/docs/pktmask-capture.toml ${PROJECT_SOURCE_DIR}/docs/pktmask-capture.service
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
