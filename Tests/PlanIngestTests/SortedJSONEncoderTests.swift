import Foundation
import PlanIngest
import PlanKit
import Testing

/// `SortedJSONEncoder` must write what Foundation's JSONEncoder writes with sorted keys and unescaped slashes,
/// byte for byte: every JSON file PlanKB wrote before it came in (goldens, users' scripts that diff runs)
/// stays the same.
struct SortedJSONEncoderTests {
    static func foundation<T: Encodable>(_ value: T, pretty: Bool) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func expectSame<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for pretty in [false, true] {
            let ours = try SortedJSONEncoder(pretty: pretty).encodeToString(value)
            let theirs = try foundation(value, pretty: pretty)
            #expect(ours == theirs, "pretty: \(pretty)", sourceLocation: sourceLocation)
        }
    }

    /// Every corpus document with its records, as `plankb parse` and `convert` write it.
    @Test(arguments: CorpusGoldenTests.sources)
    func corpusDocument(_ source: String) throws {
        let url = CorpusGoldenTests.repositoryURL.appendingPathComponent(source)
        let documents: [PlanDocument]
        do {
            documents = try DocumentLoader.load(data: try Data(contentsOf: url), source: source, pathExtension: url.pathExtension)
        } catch IngestError.missingTool where ProcessInfo.processInfo.environment["CI"] == nil {
            return
        }
        for document in documents {
            try Self.expectSame(document)
            for record in document.records.prefix(50) { try Self.expectSame(record) }
        }
        // What convert writes for the document: the pretty file and its compact line.
        let pretty = try DocumentJSONExporter.encode(documents[0], pretty: true)
        #expect(pretty == (try Self.foundation(documents[0], pretty: true)))
        #expect(DocumentJSONExporter.compact(fromPretty: pretty) == (try Self.foundation(documents[0], pretty: false)))
    }

    struct Empty: Encodable {}

    struct Corners: Encodable {
        var emptyArray: [Int] = []
        var emptyDictionary: [String: Int] = [:]
        var empty = Empty()
        var numbers: [Double] = [1.0, 0.1, 1e-7, 1.2345678901234568e17, -0.0, 5e-324, 1e21, 100]
        var float: Float = 0.1
        var escapes = "a/b\"\\\n\t\r\u{8}\u{c}\u{1}\u{1b}\u{1f}\u{0}\u{7f}\u{2028}汉"
        var absent: Int? = nil
        var optionals: [Int?] = [nil, 1]
        // Byte order of the keys' UTF-8: capitals first, "a10" before "a9", "éx" (e and a combining accent)
        // before "f", é (U+00E9) last.
        var keys = ["B": 1, "a": 2, "a10": 3, "a9": 4, "A": 5, "_x": 6, "é": 7, "中": 8, "e\u{301}x": 9, "f": 10, "k\"ey\n": 11]
        var nested: [[Int]] = [[1], [], [2, 3]]
        var url = URL(string: "http://example.org/a/b")!
        var small: Int8 = -3
        var unsigned: UInt64 = .max
        var decimal = Decimal(string: "1.5")!
        var date = Date(timeIntervalSinceReferenceDate: 1.5)
        var data = Data([1, 2, 3])
        var integerKeys = [1: "a", 10: "b", 2: "c"]
        var objects: [[String: [String]]] = [["z": ["1"], "y": []], [:]]
    }

    @Test func cornerCases() throws {
        try Self.expectSame(Corners())
        try Self.expectSame("top")
        try Self.expectSame(Empty())
        try Self.expectSame([Int]())
        try Self.expectSame([String: Int]())
        try Self.expectSame(Optional<Int>.none)
        try Self.expectSame([[[Empty()]]])
    }

    /// A type that encodes through nested containers and a super encoder, interleaving its writes.
    struct Nested: Encodable {
        enum Keys: String, CodingKey { case outer, inner, list, zeta, alpha }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var inner = container.nestedContainer(keyedBy: Keys.self, forKey: .inner)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try container.encode("z", forKey: .zeta)
            try inner.encode(1, forKey: .zeta)
            try list.encode(1)
            var element = list.nestedContainer(keyedBy: Keys.self)
            try list.encode(3)
            try element.encode(2, forKey: .alpha)
            try inner.encode([true], forKey: .alpha)
            try container.encode("a", forKey: .alpha)
            var base = container.superEncoder().singleValueContainer()
            try base.encode("base")
            // The same key again: the last value stands, as in Foundation.
            try container.encode("again", forKey: .alpha)
        }
    }

    @Test func nestedContainersAndSuperEncoder() throws {
        try Self.expectSame(Nested())
        try Self.expectSame([Nested(), Nested()])
    }

    @Test func nonFiniteNumbersAreAnErrorNamingThePath() throws {
        struct Bad: Encodable { var values: [Double] = [1, .nan] }
        #expect(throws: EncodingError.self) { try SortedJSONEncoder().encode(Bad()) }
        do {
            _ = try SortedJSONEncoder().encode(Bad())
        } catch EncodingError.invalidValue(_, let context) {
            #expect(context.codingPath.map(\.stringValue) == ["values", "Index 1"])
        }
        // Through the containers' own Double methods, as a hand-written encode(to:) calls them.
        struct Direct: Encodable {
            enum Keys: CodingKey { case list, single }
            struct Single: Encodable {
                func encode(to encoder: any Encoder) throws {
                    var container = encoder.singleValueContainer()
                    try container.encode(Double.infinity)
                }
            }
            var useList: Bool
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                if useList {
                    var list = container.nestedUnkeyedContainer(forKey: .list)
                    try list.encode(1.0)
                    try list.encode(Double.nan)
                } else {
                    try container.encode(Single(), forKey: .single)
                }
            }
        }
        for (useList, path) in [(true, ["list", "Index 1"]), (false, ["single"])] {
            do {
                _ = try SortedJSONEncoder().encode(Direct(useList: useList))
                Issue.record("a non-finite number was written")
            } catch EncodingError.invalidValue(_, let context) {
                #expect(context.codingPath.map(\.stringValue) == path)
            }
        }
    }
}
