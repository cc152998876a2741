/// 简称 — a short name a document defines for a longer one: 中国(辽宁)自由贸易试验区沈阳片区(以下简称“沈阳片区”),
/// 国家市场监督管理总局（简称“市场监管总局”）, 《河北雄安新区总体规划》（以下简称《总体规划》）, …，下称“…”.
public struct Abbreviation: Codable, Hashable, Sendable {
    /// The short name as defined (沈阳片区), without its quotes or 《》.
    public var short: String
    /// The full name it stands for (中国(辽宁)自由贸易试验区沈阳片区), as printed.
    public var full: String
    /// The id of the node whose text defines it.
    public var node: String

    public init(short: String, full: String, node: String) {
        self.short = short
        self.full = full
        self.node = node
    }
}

/// Finds the abbreviations a document defines (a pass over the finished tree; `Pipeline` lists them in
/// `Metadata.abbreviations`). Each short name is kept once, with its first definition.
///
/// A definition is 简称 or 下称 (optionally after 以下, 以下统) right after an opening bracket or a comma, then
/// the short name in quotes, in 《》 or up to the closing bracket. The full name is what stands before: the
/// title inside 《》 when it ends with one, otherwise the words back to the previous punctuation, cut after the
/// last verb, preposition or 的 that introduces it (根据, 组建, 设立, 对, 由 …) while the rest is still longer
/// than the short name — so 国务院决定对国务院第二次全国污染源普查领导小组（以下简称领导小组） defines 领导小组 as
/// 国务院第二次全国污染源普查领导小组.
public enum AbbreviationFinder {
    public static func abbreviations(in root: Node) -> [Abbreviation] {
        var result: [Abbreviation] = []
        var seen: Set<String> = []
        root.forEach { node, _ in
            guard ![.document, .lead, .clause, .toc].contains(node.kind),
                  WordSearch.containsAny(node.text, ["简称", "下称"]) else { return }
            for (short, full) in definitions(in: node.text) where seen.insert(short).inserted {
                result.append(Abbreviation(short: short, full: full, node: node.id))
            }
        }
        return result
    }

    /// The (short, full) pairs defined in one text, in order.
    public static func definitions(in text: String) -> [(short: String, full: String)] {
        let characters = Array(text)
        var result: [(String, String)] = []
        var index = 0
        while index + 1 < characters.count {
            defer { index += 1 }
            guard characters[index + 1] == "称", characters[index] == "简" || characters[index] == "下" else { continue }
            var start = index
            if characters[index] == "简" {
                if start >= 2, characters[start - 2] == "以", characters[start - 1] == "下" { start -= 2 }
                else if start >= 3, String(characters[(start - 3)..<start]) == "以下统" { start -= 3 }
            } else if start >= 1, characters[start - 1] == "以" {
                start -= 1
            }
            guard start >= 1, let opener = Optional(characters[start - 1]), "（(，,".contains(opener),
                  let short = shortName(characters, from: index + 2, bracketed: opener == "（" || opener == "(") else { continue }
            guard let full = fullName(characters, before: start - 1, shortLength: short.count),
                  full != short else { continue }
            result.append((short, full))
        }
        return result
    }

    private static let quotes: [Character: Character] = ["“": "”", "\"": "\"", "「": "」", "‘": "’", "'": "'", "《": "》"]

    private static func shortName(_ characters: [Character], from position: Int, bracketed: Bool) -> String? {
        var index = position
        if index < characters.count, characters[index] == "为" { index += 1 }
        if index < characters.count, characters[index] == "：" || characters[index] == ":" { index += 1 }
        guard index < characters.count else { return nil }
        var name: String
        if let close = quotes[characters[index]] {
            guard let end = characters[(index + 1)...].firstIndex(of: close) else { return nil }
            name = String(characters[(index + 1)..<end])
        } else {
            guard bracketed else { return nil }
            var end = index
            while end < characters.count, !"）)，,。；;、".contains(characters[end]) { end += 1 }
            guard end < characters.count, characters[end] == "）" || characters[end] == ")" else { return nil }
            name = String(characters[index..<end])
        }
        if name.hasPrefix("《"), name.hasSuffix("》") { name = String(name.dropFirst().dropLast()) }
        name = name.trimmingBlanks()
        guard (2...20).contains(name.count), !name.contains(where: { "，。；：".contains($0) }) else { return nil }
        return name
    }

    /// Words that introduce a name without belonging to it; the full name starts after the last one.
    private static let introducers = [
        "根据", "依据", "按照", "同意", "组建", "建立", "成立", "设立", "组成", "进入", "制定", "印发", "纳入",
        "决定", "批准", "会同", "关于", "通过", "支持", "推动", "委托", "申办", "举办", "召开", "开展", "实施",
        "对", "由", "在", "经", "将", "把", "向", "从", "的",
    ]
    /// Words where one of the one-character introducers is part of a name (自由贸易, 经济, 对外).
    private static let notIntroducers: Set<String> = [
        "自由", "经济", "经营", "经贸", "经费", "对外", "对口", "对接", "对象", "存在", "在线", "将来", "从事", "从业",
        "理由", "由于", "面向", "方向", "导向", "经过",
    ]
    private static let delimiters: Set<Character> = [
        "，", "。", "；", "：", "、", "！", "？", ",", ";", ":", "!", "?", "“", "”", "\"", "\n", " ", "　", "\t",
    ]

    private static func fullName(_ characters: [Character], before end: Int, shortLength: Int) -> String? {
        guard end > 0 else { return nil }
        // 《总体规划》（以下简称…）: the title.
        if characters[end - 1] == "》" {
            var depth = 0
            var index = end - 1
            while index >= 0 {
                if characters[index] == "》" { depth += 1 }
                if characters[index] == "《" { depth -= 1; if depth == 0 { break } }
                index -= 1
            }
            guard index >= 0 else { return nil }
            let title = String(characters[(index + 1)..<(end - 1)]).trimmingBlanks()
            return title.count >= 2 ? title : nil
        }
        var start = end
        var depth = 0
        while start > 0 {
            let character = characters[start - 1]
            if delimiters.contains(character) { break }
            if character == "）" || character == ")" { depth += 1 }
            if character == "（" || character == "(" {
                if depth == 0 { break }
                depth -= 1
            }
            start -= 1
            if end - start > 60 { return nil }
        }
        // 《国务院关于投资体制改革的决定》（国发〔2004〕20号，以下简称《决定》）: the title before the bracket.
        if start >= 2, characters[start - 1] == "（" || characters[start - 1] == "(", characters[start - 2] == "》" {
            return fullName(characters, before: start - 1, shortLength: shortLength)
        }
        let span = Array(characters[start..<end])
        var cut = 0
        var offset = span.count - 1
        while offset > 0 {
            defer { offset -= 1 }
            for word in introducers where offset + word.count <= span.count
                && String(span[offset..<(offset + word.count)]) == word {
                if word.count == 1 {
                    let pair = offset > 0 ? String(span[(offset - 1)...offset]) : ""
                    let next = offset + 1 < span.count ? String(span[offset...(offset + 1)]) : ""
                    if notIntroducers.contains(pair) || notIntroducers.contains(next) { continue }
                }
                var rest = span[(offset + word.count)...]
                while rest.first == "的" { rest = rest.dropFirst() }
                if rest.count > max(shortLength, 1) { cut = span.count - rest.count; offset = 0 }
                break
            }
        }
        if cut == 0 {
            // A leading introducer alone (对太原钢铁（集团）有限公司).
            for word in introducers where span.count > word.count && String(span.prefix(word.count)) == word {
                let rest = span.dropFirst(word.count)
                if word.count == 1, notIntroducers.contains(String(span.prefix(2))) { continue }
                if rest.count > shortLength { cut = word.count }
                break
            }
        }
        let full = String(span[cut...]).trimmingBlanks()
        return full.count >= 2 ? full : nil
    }
}
