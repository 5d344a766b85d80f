import XCTest
@testable import PackageIndex
final class PackageIndexPlaceholderTests: XCTestCase {}
