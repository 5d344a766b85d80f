import Foundation

/// The JSON form of an `InspectionReport` (schema in docs/inspect.md): snake_case keys,
/// sorted, so output is stable from run to run.
public enum InspectionJSON {
    public static func encode(_ report: InspectionReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(report)
    }
}
