import Foundation
import Testing
import PlanIngest
import PlanKit
@testable import PlanIndex

/// A snippet's marks wrapped as the table and CSV show them: plain text is cut over its scalars, anything else
/// over its characters, and both must give what cutting the characters gives.
@Suite struct SnippetRenderingTests {
    /// Cutting by characters, as the marks' offsets count them.
    func byCharacters(_ snippet: Highlighter.Snippet, open: String, close: String) -> String {
        let characters = Array(snippet.text)
        var result = "", index = 0
        for mark in snippet.marks {
            result += String(characters[index..<mark.lowerBound]) + open + String(characters[mark]) + close
            index = mark.upperBound
        }
        return result + String(characters[index...])
    }

    @Test func snippetsOfARealReportRenderAsTheirCharactersCut() throws {
        let documents = try DocumentLoader.load(
            contentsOf: Fixtures.corpus.appendingPathComponent("reports/government-work-reports-2021-2025.jsonl"))
        let paragraphs = documents.flatMap { $0.root.descendants }.map { $0.text }.filter { !$0.isEmpty }
        var rendered = 0
        for needles in [["就业"], ["营商环境", "2025"], ["GDP", "5%"], ["的"]] {
            for text in paragraphs.prefix(400) {
                for width in [40, 80, 10_000] {
                    let snippet = Highlighter().snippet(of: text, needles: needles, width: width)
                    guard !snippet.marks.isEmpty else { continue }
                    #expect(snippet.rendered(open: "«", close: "»") == byCharacters(snippet, open: "«", close: "»"))
                    #expect(snippet.rendered(open: "\u{1B}[7m", close: "\u{1B}[0m")
                            == byCharacters(snippet, open: "\u{1B}[7m", close: "\u{1B}[0m"))
                    rendered += 1
                }
            }
        }
        #expect(rendered > 300, "\(rendered) snippets with marks")
    }

    @Test func textThatIsNotPlainIsCutByCharacters() {
        // A combining accent and an emoji with a modifier: several scalars make one character.
        for text in ["Cafe\u{301} 就业 e\u{301}t 就业", "👍🏽就业👍🏽 就业", "就业\r\n就业"] {
            let snippet = Highlighter().snippet(of: text, needles: ["就业"], width: 80)
            #expect(snippet.marks.count == 2, "\(text)")
            #expect(snippet.rendered(open: "«", close: "»") == byCharacters(snippet, open: "«", close: "»"))
        }
    }
}
