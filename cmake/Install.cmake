# What `cmake --install` lays out besides the binary (src/cli installs it, KaTeX and the shell
# completions), and the Debian package CPack builds from the same rules (scripts/package).
#
#   bin/arxiv-digest
#   share/arxiv-digest/{katex,templates,prompts,sample-day}   found beside the binary at run time
#   share/man/man1/arxiv-digest.1.gz
#   share/bash-completion/completions/arxiv-digest, share/zsh/vendor-completions/_arxiv-digest
#   lib/systemd/user/arxiv-digest{,-daemon}.service, arxiv-digest.timer
#   share/doc/arxiv-digest/{README.md,copyright,examples/}

set(_share ${CMAKE_INSTALL_DATADIR}/arxiv-digest)
# The package's name, not the CMake project's (arxiv_digest), as Debian expects.
set(_doc ${CMAKE_INSTALL_DATAROOTDIR}/doc/arxiv-digest)

# Starting points for [output] templates_dir and [translate] prompt files: the built-in ones.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/templates/ DESTINATION ${_share}/templates)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/data/prompts/ DESTINATION ${_share}/prompts)
# The sample day `arxiv-digest demo` runs.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/sample-day/ DESTINATION ${_share}/sample-day)

# The man page, compressed as Debian policy asks (-n: no timestamp, reproducible).
find_program(ARXIV_DIGEST_GZIP gzip REQUIRED)
set(_man ${CMAKE_CURRENT_BINARY_DIR}/man/arxiv-digest.1.gz)
add_custom_command(
  OUTPUT ${_man}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/man
  COMMAND ${ARXIV_DIGEST_GZIP} -9nc ${PROJECT_SOURCE_DIR}/docs/arxiv-digest.1 > ${_man}
  DEPENDS ${PROJECT_SOURCE_DIR}/docs/arxiv-digest.1
  COMMENT "Compressing the man page")
add_custom_target(arxiv_digest_man ALL DEPENDS ${_man})
install(FILES ${_man} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# systemd user units (enable with `systemctl --user enable --now arxiv-digest.timer`).
install(FILES ${PROJECT_SOURCE_DIR}/contrib/systemd/arxiv-digest.service
              ${PROJECT_SOURCE_DIR}/contrib/systemd/arxiv-digest.timer
              ${PROJECT_SOURCE_DIR}/contrib/systemd/arxiv-digest-daemon.service
        DESTINATION lib/systemd/user)

install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/contrib/copyright
        DESTINATION ${_doc})
install(FILES ${PROJECT_SOURCE_DIR}/contrib/cron/arxiv-digest.cron
              ${PROJECT_SOURCE_DIR}/contrib/github-actions/daily-digest.yml
              ${PROJECT_SOURCE_DIR}/contrib/github-actions/arxiv-digest.toml
              ${PROJECT_SOURCE_DIR}/examples/config.toml
        DESTINATION ${_doc}/examples)

# ---- Debian package (cpack -G DEB; see scripts/package) -----------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME arxiv-digest)
set(CPACK_PACKAGE_VENDOR "arxiv-digest")
set(CPACK_PACKAGE_CONTACT "arxiv-digest maintainers <arxiv-digest@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "daily arXiv digest: select by topic, translate, render, deliver, archive")
set(CPACK_PACKAGE_DESCRIPTION
    "arxiv-digest turns each day's arXiv announcements into a digest: the new papers of your
categories, selected by your topics, titles and abstracts translated, written as text,
Markdown, JSON, HTML and Atom, sent by email and webhooks, and kept in a searchable archive.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Shared-library dependencies are computed by dpkg-shlibdeps; tzdata is read at run time (the
# announcement calendar is in America/New_York) and ca-certificates lets libcurl verify arXiv.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "tzdata, ca-certificates")
set(CPACK_STRIP_FILES ON)
include(CPack)
