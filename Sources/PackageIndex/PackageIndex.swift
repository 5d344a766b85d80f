// PackageIndex: the mip-compatible package index (mpyforge publish, verify, serve).
//
// An index is a static tree that any web host can serve. Each `<arch>_<abi>` directory is a
// complete mip index root of its own, so stock mip and mpremote pick the right binary by the
// index URL alone; the root adds a catalog (index.json), a page for people (index.html) and a
// pure-Python installer that picks the directory from `sys.implementation._mpy` on the device.
