import Foundation
import PlanKit
import Testing

/// `replacingScalars`, the one-pass quoting behind FTS5 strings, LIKE patterns, tsquery lexemes and CSV fields.
struct StringEscapingTests {
    @Test func quotesAreDoubledEverywhereAsFoundationDoublesThem() {
        for text in ["他说\"跨境电商\"是重点", "\"", "\"\"", "无引号", "", "A\"B\"C"] {
            #expect(text.replacingScalars(["\"": "\"\""]) == text.replacingOccurrences(of: "\"", with: "\"\""), "\(text)")
        }
    }

    @Test func likeEscapesInOnePassEqualTheChainedReplacements() {
        for text in ["50%_以上\\", "\\%", "%%__\\\\", "普通文本", "a_b%c\\d"] {
            let chained = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_")
            #expect(text.replacingScalars(["\\": "\\\\", "%": "\\%", "_": "\\_"]) == chained, "\(text)")
        }
    }

    @Test func aQuoteBeforeACombiningMarkIsStillQuoted() {
        // Without the doubling the FTS5 string would end at this quote and the query would not parse.
        let text = "x\"\u{301}y"
        #expect(text.replacingScalars(["\"": "\"\""]).unicodeScalars.filter { $0 == "\"" }.count == 2)
    }

    @Test func textWithNothingToReplaceComesBackUnchanged() {
        let text = "第一章　总　则\n第一条"
        #expect(text.replacingScalars(["\"": "\"\""]) == text)
        #expect(text.replacingScalars(["\n": " "]) == "第一章　总　则 第一条")
    }
}
