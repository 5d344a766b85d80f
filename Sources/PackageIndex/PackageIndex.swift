// PackageIndex: the mip-compatible package index (mpyforge publish, serve, verify).
