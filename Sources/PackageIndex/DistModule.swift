/// One built module in a dist directory: `dist/<arch>_<abi>/<name>.mpy`.
public struct DistModule: Sendable {
    public var name: String
    public var target: IndexTarget
    public var path: String
    public var bytes: [UInt8]

    public var hash: ContentHash { ContentHash(of: bytes) }
    public var fileName: String { "\(name).mpy" }
}
