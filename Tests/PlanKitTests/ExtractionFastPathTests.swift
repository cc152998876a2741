import Foundation
import Testing
@testable import PlanKit

/// The extraction passes answer some questions on bytes or scalars when the text allows it; these tests pin
/// that the fast answers are the ones the slow (Foundation / `Character`) paths give.
struct ExtractionFastPathTests {
    /// Every full-width form, alone and inside a sentence: the UTF-8 pre-check must send exactly the ones that
    /// change to the character walk, so the result is the walk's.
    @Test func fullWidthPreCheckAgreesWithTheCharacterWalk() {
        for value in UInt32(0xFF01)...0xFF5E {
            let form = String(Unicode.Scalar(value)!)
            let sentence = "到２０２５年，（一）增长" + form + "。"
            for text in [form, sentence] {
                let walked = String(text.map(QuantityNumerals.normalizedCharacter))
                #expect(QuantityNumerals.normalizingDigits(text) == walked, "U+\(String(value, radix: 16))")
            }
        }
    }

    /// On the sentences of a real plan, the byte search finds a cue word exactly when Foundation's
    /// `contains` does; so does it where a combining mark sits on the word's last character.
    @Test func wordSearchAgreesWithFoundationOnAPlan() throws {
        let document = try ExtractionRecordTests.shenyang()
        let words = (Cues.achievementWords + Cues.targetWords).map(\.text) + Cues.directions + ReferencePass.agreements
            + ["已经\u{0301}", ""]
        let list = words.map(WordSearch.Word.init)
        var sentences = Passage.passages(in: document.root).flatMap(\.sentences).map(\.text)
        sentences += ["已经\u{0301}完成", "目标\u{20DD}是", "已经完成"]
        var found = 0
        for sentence in sentences {
            let haystack = WordSearch.Haystack(sentence)
            for word in words {
                let fast = WordSearch.contains(sentence, word)
                #expect(fast == sentence.contains(word), "\(word) in \(sentence)")
                #expect(haystack.contains(WordSearch.Word(word)) == fast, "\(word) in \(sentence), read once")
                if fast { found += 1 }
            }
            let expected = words.contains { sentence.contains($0) }
            #expect(WordSearch.containsAny(sentence, words) == expected)
            #expect(WordSearch.containsAny(sentence, list) == expected, "a word list in \(sentence)")
            // Each word alone: which one of a list matches must not matter.
            for word in words {
                #expect(haystack.containsAny([WordSearch.Word(word)]) == sentence.contains(word), "\(word) alone in \(sentence)")
            }
        }
        #expect(found > 100)
    }

    /// Where a word first occurs: the byte search gives the standard library's `firstRange(of:)` index, on a
    /// real plan's sentences and where the text or the word is not plain (combining mark, compatibility
    /// ideograph with a canonical twin).
    @Test func firstIndexAgreesWithTheCharacterSearch() throws {
        let document = try ExtractionRecordTests.shenyang()
        let words = MeasurePass.verbs + ReferencePass.agreements + ["\u{F9B2}", "零", "已经\u{0301}"]
        var sentences = Passage.passages(in: document.root).flatMap(\.sentences).map(\.text)
        sentences += ["已经\u{0301}完成推进", "数字\u{F9B2}推进零", "", "推进", "推进推进推", "a推进b推进"]
        var found = 0
        for sentence in sentences {
            let haystack = WordSearch.Haystack(sentence)
            for word in words {
                let fast = haystack.firstIndex(of: word)
                #expect(fast == sentence.firstRange(of: word)?.lowerBound, "\(word) in \(sentence)")
                #expect(haystack.contains(word) == sentence.contains(word), "\(word) in \(sentence)")
                let middle = sentence.index(sentence.startIndex, offsetBy: sentence.count / 2)
                #expect(haystack.firstRange(of: word, from: middle) == sentence[middle...].firstRange(of: word), "\(word) in \(sentence)")
                if fast != nil { found += 1 }
            }
        }
        #expect(found > 100)
    }

    /// The codebook codes plain text scalar by scalar and anything else character by character; both give the
    /// same instrument. A combining mark (not plain) sends a unit down the character path.
    @Test func codebookCodesPlainAndNonPlainTextAlike() throws {
        let document = try ExtractionRecordTests.shenyang()
        let codebook = Codebook.standard
        var coded = 0
        for sentence in Passage.passages(in: document.root).flatMap(\.sentences).map(\.text) {
            let plain = codebook.code(lead: sentence, body: sentence)
            // U+20DD (a combining enclosing circle) after a full stop: not plain, and no cue contains 。.
            let marked = sentence.replacingOccurrences(of: "。", with: "。\u{20DD}")
            guard marked != sentence else { continue }
            #expect(!PlainText.isPlain(marked))
            #expect(codebook.code(lead: marked, body: marked) == plain, "\(sentence)")
            if plain != nil { coded += 1 }
        }
        #expect(coded > 20)
        // A non-plain cue makes every text take the character path; plain cues still match as before.
        let withMark = try Codebook(csv: "dimension,tool,cue\nsupply,资金投入,资金\nsupply,标记,标\u{20DD}\n", file: "test")
        #expect(withMark.code(lead: "加大资金投入", body: "")?.tool == "资金投入")
        #expect(withMark.code(lead: "标\u{20DD}记", body: "")?.tool == "标记")
        #expect(withMark.code(lead: "标记", body: "") == nil)
    }

    /// Trimming by scalars keeps the `Set<Character>` answer, also for a character that has a canonical twin.
    @Test func trimmingMatchesCharacterComparison() {
        #expect("。（二）基本原则：".trimmingCharacters(in: "。.：:") == "（二）基本原则")
        #expect(" 零\u{F9B2}".trimmingCharacters(in: "零") == "")
        #expect("\u{F9B2}零".trimmingCharacters(in: "\u{F9B2}") == "")
    }
}

/// The scalar switches that decide numeral characters quickly must list exactly the keys of the numeral tables,
/// or plain and non-plain text would be read differently once a table grows.
@Suite struct NumeralScalarTableTests {
    static let scalars = (0x20...0x9FFF).compactMap(Unicode.Scalar.init) + (0xFF00...0xFFEF).compactMap(Unicode.Scalar.init)

    @Test func quantityNumeralsSwitchListsTheTablesKeys() {
        let disagreeing = Self.scalars.filter { scalar in
            let character = Character(scalar)
            let inTables = QuantityNumerals.digitValues[character] != nil || QuantityNumerals.smallUnits[character] != nil
                || QuantityNumerals.largeUnits[character] != nil
            return QuantityNumerals.isNumeralScalar(scalar) != inTables
        }
        #expect(disagreeing.isEmpty, "\(disagreeing)")
    }

    @Test func chineseNumeralsSwitchListsTheTablesKeys() {
        let disagreeing = Self.scalars.filter { scalar in
            let character = Character(scalar)
            let inTables = ChineseNumerals.digits[character] != nil || ChineseNumerals.units[character] != nil
                || character == "万" || character == "萬" || character.isASCIIDigit || character.isFullWidthDigit
            return ChineseNumerals.isNumeralCharacter(character) != inTables
        }
        #expect(disagreeing.isEmpty, "\(disagreeing)")
    }
}

/// `convert` writes a document's .json file and its documents.jsonl line from one encoding; the line must be
/// byte for byte what the compact encoder writes.
@Suite struct CompactJSONTests {
    @Test func compactFromPrettyIsTheCompactEncoding() throws {
        var shenyang = try ExtractionRecordTests.shenyang()
        shenyang.records = RecordExtractor.extract(from: shenyang)
        // Strings with what a whitespace stripper could break: spaces, quotes, backslashes, line breaks, tabs.
        let awkward = segment("总 则\n\n第一条 \"引号\" 与 \\ 反斜杠\t制表符 ，  两个空格。\n\n{ [ : , ] }  “全角”")
        for document in [shenyang, awkward, segment("")] {
            let pretty = try DocumentJSONExporter.encode(document, pretty: true)
            #expect(pretty.contains("\n  "))
            #expect(DocumentJSONExporter.compact(fromPretty: pretty) == (try DocumentJSONExporter.encode(document, pretty: false)))
        }
    }
}
