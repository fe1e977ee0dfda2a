# `make package`: pktmask_<version>_<arch>.deb from what `make install`
# installs, under /usr. Its dependencies are computed from the binary's
# shared libraries (dpkg-shlibdeps); tshark is only recommended, since the
# native engine needs none.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pktmask)
set(CPACK_PACKAGE_CONTACT "pktmask maintainers <maintainers@pktmask.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "make packet captures safe to share")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "pktmask keeps what an analyst needs to debug a TLS connection (record headers,\n"
    "handshakes, alerts, timing, L2-L4 headers) and zeroes every other payload\n"
    "byte, byte for byte to a written masking policy. It sanitizes pcap and pcapng\n"
    "files, single or in batches, checks its output, and sanitizes live captures\n"
    "segment by segment.")
string(JOIN "" CPACK_DEBIAN_PACKAGE_DESCRIPTION ${CPACK_DEBIAN_PACKAGE_DESCRIPTION})
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS tshark)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
include(CPack)
