import Foundation

/// JSON as the index writes it: sorted keys and stable layout, so republishing the same
/// input gives the same bytes and diffs of a published tree stay readable.
enum IndexJSON {
    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Encoding these plain value types cannot fail.
        let data = (try? encoder.encode(value)) ?? Data()
        return Array(data) + [UInt8(ascii: "\n")]
    }

    static func decode<T: Decodable>(_ type: T.Type, at path: String) throws(IndexError) -> T {
        let bytes = try FileTree.read(path)
        do { return try JSONDecoder().decode(type, from: Data(bytes)) } catch {
            throw .badCatalog(path: path, detail: "not the JSON expected here (\(shortReason(error)))")
        }
    }

    private static func shortReason(_ error: Error) -> String {
        if case DecodingError.keyNotFound(let key, _) = error { return "missing \"\(key.stringValue)\"" }
        if case DecodingError.typeMismatch(_, let context) = error { return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))" }
        return "unparsable"
    }
}
