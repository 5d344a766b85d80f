import XCTest
@testable import Inspector
final class InspectorPlaceholderTests: XCTestCase {}
