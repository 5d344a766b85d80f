// swift-tools-version: 6.0
// mpyforge: compile, link and publish MicroPython native modules (.mpy) in one tool.
// The pipeline is one library target per stage; the `mpyforge` executable only parses
// arguments and renders results.
import PackageDescription

let package = Package(
    name: "mpyforge",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mpyforge", targets: ["mpyforge"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // libelf (libelf-dev) as a Swift module: the only way we read ELF.
        .systemLibrary(name: "CLibElf", path: "Sources/CLibElf", pkgConfig: "libelf"),
        // Relocatable objects and static archives, read through libelf.
        .target(name: "ELFReader", dependencies: ["CLibElf"]),
        // The .mpy container: encoders, decoders, MicroPython's ABI facts, merging.
        .target(name: "MPYFormat"),
        // The native-module linker: generic passes plus one backend per arch family.
        .target(name: "Linker", dependencies: ["ELFReader", "MPYFormat"]),
        // Compilers per architecture: discovery, flags, doctor.
        .target(name: "Toolchain", dependencies: ["MPYFormat"]),
        // Content hashes (SHA-256) for the build cache and the package index.
        .target(name: "Digest"),
        // Module manifests, the build plan, qstr collection, compile/link jobs.
        .target(name: "BuildSystem", dependencies: [
            "Toolchain", "Linker", "MPYFormat", "Digest", .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        // libopcodes (binutils) as a Swift module, for disassembly.
        .systemLibrary(name: "CLibOpcodes", path: "Sources/CLibOpcodes"),
        // Seeing inside .mpy files and explaining incompatibilities (inspect, check).
        .target(name: "Inspector", dependencies: ["MPYFormat", "CLibOpcodes"]),
        // The mip-compatible package index (publish, verify, serve).
        .target(name: "PackageIndex", dependencies: ["MPYFormat", "Digest"]),
        .executableTarget(
            name: "mpyforge",
            dependencies: [
                "BuildSystem", "Linker", "MPYFormat", "Toolchain", "Inspector", "PackageIndex",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ELFReaderTests", dependencies: ["ELFReader"]),
        .testTarget(name: "MPYFormatTests", dependencies: ["MPYFormat"], exclude: ["Fixtures"]),
        .testTarget(name: "LinkerTests", dependencies: ["Linker", "ELFReader", "MPYFormat"], exclude: ["Fixtures"]),
        .testTarget(name: "BuildSystemTests", dependencies: ["BuildSystem", "MPYFormat", "Toolchain"]),
        .testTarget(name: "DigestTests", dependencies: ["Digest"]),
        .testTarget(name: "InspectorTests", dependencies: ["Inspector", "MPYFormat"], exclude: ["Fixtures"]),
        .testTarget(name: "PackageIndexTests", dependencies: ["PackageIndex", "Digest"]),
    ]
)
