import Foundation
import Testing
@testable import PlanKit

/// The plain-text fast paths (scalars instead of `Character`s) must give the answers the `Character` forms
/// give, on the corpus and on the text they leave to the `Character` path.
struct PlainTextTests {
    /// Every line of every corpus source (HTML read as text too), decoded as the loader decodes it.
    private static func corpusLines() throws -> [Substring] {
        let files = FileManager.default.enumerator(at: corpusURL, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }
            .filter { ["txt", "md", "jsonl", "html", "htm"].contains($0.pathExtension) && !$0.path.contains(".expected/") }
        #expect(files.count >= 40)
        var lines: [Substring] = []
        for file in files {
            guard let decoded = try? TextDecoder.decode(try Data(contentsOf: file)) else { continue }
            lines += SourceLine.split(decoded.text).map(\.text)
        }
        return lines
    }

    @Test func countsAndLengthChecksMatchCharacterCountsOnTheCorpus() throws {
        let lines = try Self.corpusLines()
        #expect(lines.count > 10_000)
        for line in lines {
            let count = line.count
            #expect(PlainText.characterCount(line) == count)
            for limit in [0, 1, 11, 12, 29, 30, 40, 60, 100] {
                #expect(PlainText.hasAtMost(limit, charactersIn: line) == (count <= limit), "\(limit): \(line)")
            }
        }
    }

    @Test func clausesMatchTheCharacterPathOnTheCorpus() throws {
        let lines = try Self.corpusLines().map(String.init).filter { $0.count > 1 }
        var plain = 0
        for line in lines {
            let fast = CharacterArray(line)
            if case .scalars = fast.storage { plain += 1 }
            let slow = CharacterArray.characters(line)
            #expect(SentenceSplitter.split(fast) == SentenceSplitter.split(slow), "\(line)")
            #expect(fast.count == slow.count)
            let middle = fast.count / 2
            #expect(fast.string(from: 1, to: middle) == slow.string(from: 1, to: middle))
            #expect(fast.string(from: middle, to: fast.count) == String(Array(line)[middle...]))
        }
        // Nearly all real text takes the fast path.
        #expect(plain * 100 >= lines.count * 95)
    }

    @Test func sourceLinesBreakAtLFCRAndCRLF() {
        let text = "第一条\r\n第二条\r第三条\n\n第四条 à la\u{301}\r\n"
        #expect(SourceLine.split(text).map(\.text) == ["第一条", "第二条", "第三条", "", "第四条 à la\u{301}"])
        #expect(SourceLine.split(text).map(\.number) == [1, 2, 3, 4, 5])
    }

    /// The scan of a string's UTF-8 (with its shortcut over the lead bytes of U+4000…U+9FFF) gives every
    /// scalar the verdict of the scalar ranges, inside plain text and counted as one character.
    @Test func utf8ScanAgreesWithTheScalarRangesOnEveryScalar() {
        var disagreements: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: ["规", scalar, "A"])
            let text = String(view)
            let plain = PlainText.isPlain(scalar)
            if PlainText.isPlain(text) != plain || (plain && PlainText.characterCount(text) != 3) { disagreements.append(value) }
        }
        #expect(disagreements.isEmpty, "first: \(disagreements.prefix(5).map { String($0, radix: 16) })")
    }

    /// Combining marks, CR LF, emoji sequences and singletons with a canonical equivalent are not plain.
    @Test(arguments: ["规划纲要（2021—2035年）：①①Ａ１", "Hello, world; 2.0版", "", "\u{3000}\u{FEFF}"])
    func plainText(_ text: String) {
        #expect(PlainText.isPlain(text))
    }

    @Test(arguments: ["e\u{301}", "一\r\n二", "\u{1F468}\u{200D}\u{1F469}", "\u{2329}", "\u{212B}", "\u{F900}", "\u{037E}", "가"])
    func notPlainText(_ text: String) {
        #expect(!PlainText.isPlain(text))
        #expect(PlainText.characterCount(text) == text.count)
    }

    /// The Character path keeps canonical equivalence: a Greek question mark (U+037E) is a semicolon, 〈 U+2329
    /// opens like 〈 U+3008, and a full stop with a combining mark is not a full stop.
    @Test func characterPathKeepsCanonicalEquivalence() {
        #expect(SentenceSplitter.split("加快建设\u{037E}推进改革").map(\.end) == [5, 9])
        #expect(SentenceSplitter.split("见\u{2329}附件。说明\u{232A}。完").count == 2)
        #expect(SentenceSplitter.split("甲。\u{301}乙。").count == 1)
    }
}

/// The byte comparison behind heading cues answers as `hasPrefix`/`hasSuffix` do on plain text.
struct WordSearchAffixTests {
    @Test func bytesAnswerAsHasPrefixAndHasSuffix() {
        let texts = ["主要目标", "“十四五”时期经济社会发展主要目标", "目标", "", "指标体系", "发展回顾", "二、主要成效", "A目标B",
                     "e\u{301}目标", "目标e\u{301}"]
        let words = ["目标", "指标", "回顾", "成效", "", "主要目标", "标", "A", "e", "\u{301}"]
        for text in texts {
            let haystack = WordSearch.Haystack(text)
            for word in words {
                #expect(haystack.hasPrefix(word) == text.hasPrefix(word), "\(text) \(word)")
                #expect(haystack.hasSuffix(word) == text.hasSuffix(word), "\(text) \(word)")
            }
        }
    }
}
