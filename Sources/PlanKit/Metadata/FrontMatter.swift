import Foundation

/// Reads the opening lines of pasted page text — breadcrumb, title, "时间:… 来源:…", toolbar residue,
/// byline — into metadata, before the first heading.
///
/// Lines consumed as metadata or dropped as site chrome leave the body with a note, so that nothing is lost
/// silently; the title line stays as a block (the segmenter makes it the document's heading).
public enum FrontMatter {
    /// How many opening blocks may be front matter.
    static let window = 10

    public static func extract(from ingested: inout IngestedText) {
        var index = 0
        var metadata = ingested.metadata
        while index < ingested.blocks.count, index < window {
            let block = ingested.blocks[index]
            let text = block.text
            if block.hints.contains(.frontMatter) { index += 1; continue }
            if let label = LabelParser.parse(Substring(text)), label.kind != .attachment { break }
            if metadata.breadcrumb == nil, let crumbs = breadcrumb(in: text) {
                metadata.breadcrumb = crumbs
            } else if let (date, issuer) = dateAndSource(in: text) {
                metadata.date = metadata.date ?? date
                metadata.issuer = metadata.issuer ?? issuer
            } else if let enactment = enactment(in: text) {
                // "(1997年7月3日第八届全国人民代表大会常务委员会第二十六次会议通过)": kept as preamble text.
                metadata.date = metadata.date ?? enactment.date
                metadata.issuer = metadata.issuer ?? enactment.issuer
                ingested.blocks[index].hints.insert(.frontMatter)
                index += 1
                continue
            } else if isToolbar(text) {
                ingested.diagnostics.append(Diagnostic(.note, "ingest.chrome-dropped",
                                                       "dropped page toolbar “\(text)”", at: block.span.start))
            } else if isByline(text, metadata: metadata) {
                ingested.diagnostics.append(Diagnostic(.note, "ingest.chrome-dropped",
                                                       "dropped byline “\(text)” (repeats the date and source)",
                                                       at: block.span.start))
            } else if metadata.title == nil, looksLikeTitle(text) {
                metadata.title = text
                index += 1
                continue
            } else {
                break
            }
            ingested.blocks.remove(at: index)
        }
        ingested.metadata = metadata
    }

    /// A breadcrumb: "首页 -> 政务公开 -> …", "当前位置：首页 > 新闻". A bare ">" counts only after a 首页-like
    /// first step, so that a title holding markup or a comparison is not taken for one.
    static func breadcrumb(in text: String) -> [String]? {
        var body = Substring(text)
        var hadPrefix = false
        for prefix in ["当前位置：", "当前位置:", "您现在的位置：", "您现在的位置:", "您的位置：", "您的位置:"] where body.hasPrefix(prefix) {
            body = body.dropFirst(prefix.count)
            hadPrefix = true
        }
        let homes: Set<String> = ["首页", "网站首页", "主页", "Home", "HOME"]
        for separator in ["->", "－>", "＞", ">", "›", "»", "→"] where body.contains(separator) {
            let parts = body.components(separatedBy: separator).map { $0.trimmingBlanks() }.filter { !$0.isEmpty }
            guard parts.count >= 2, parts.allSatisfy({ $0.count <= 20 && !$0.contains("<") }) else { continue }
            if separator == ">" && !hadPrefix && !homes.contains(parts[0]) { continue }
            return parts
        }
        return nil
    }

    static func dateAndSource(in text: String) -> (String?, String?)? {
        guard text.count <= 80 else { return nil }
        let hasDateKey = ["时间", "日期", "发布"].contains { text.contains($0) }
        let date = hasDateKey ? DateText.firstDate(in: text) : nil
        var issuer: String?
        for key in ["来源：", "来源:", "发布机构：", "发布机构:"] {
            guard let range = text.range(of: key) else { continue }
            let rest = text[range.upperBound...]
            let end = rest.firstIndex(where: { Normalizer.isBlank($0) || $0 == "【" || $0 == "[" }) ?? rest.endIndex
            let value = rest[..<end].trimmingBlanks()
            if !value.isEmpty { issuer = value }
        }
        guard date != nil || issuer != nil else { return nil }
        return (date, issuer)
    }

    /// An enactment or revision line of a law: a date, a legislature and 通过 / 修正 / 修订.
    static func enactment(in text: String) -> (date: String, issuer: String?)? {
        let compact = text.filter { !Normalizer.isBlank($0) }
        guard compact.count <= 200, ["通过", "修正", "修订", "公布"].contains(where: compact.contains) else { return nil }
        // The latest date, for a line that lists several revisions.
        var dates: [String] = []
        var rest = Substring(compact)
        while let match = DateText.firstMatch(in: String(rest)) {
            dates.append(match.iso)
            let consumed = String(rest).distance(from: String(rest).startIndex, to: match.range.upperBound)
            rest = rest.dropFirst(consumed)
        }
        guard let latest = dates.max() else { return nil }
        return (latest, Issuers.legislature(in: compact))
    }

    static func isToolbar(_ text: String) -> Bool {
        guard text.count <= 40 else { return false }
        return ["字体", "字号", "打印", "关闭", "分享到", "收藏", "【大 中 小】"].contains { text.contains($0) }
    }

    /// A line made only of the issuer and the date already read ("市发展改革委 2021年08月23日").
    static func isByline(_ text: String, metadata: Metadata) -> Bool {
        guard text.count <= 40, let match = DateText.firstMatch(in: text) else { return false }
        var rest = text
        rest.removeSubrange(match.range)
        if let issuer = metadata.issuer { rest = rest.replacingOccurrences(of: issuer, with: "") }
        return rest.allSatisfy(Normalizer.isBlank)
    }

    static func looksLikeTitle(_ text: String) -> Bool {
        guard (4...100).contains(text.count), let last = text.last else { return false }
        return !"。：:，,；;！？".contains(last)
    }
}
