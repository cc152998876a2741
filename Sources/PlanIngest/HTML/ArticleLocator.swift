import Foundation
import PlanKit

/// Tells site chrome from article text, line by line: toolbars (`[字体：大 中 小] [打印] [关闭]`), footers
/// (主办单位, 网站标识码, ICP备, 版权所有), breadcrumbs, QR prompts, headings of related-link lists.
enum ChromeRules {
    /// Words that mark a footer, a breadcrumb or a sharing widget wherever they stand in a short line, and
    /// that a document's own text does not use.
    static let footerMarkers = [
        "网站标识码", "ICP备", "ICP证", "公网安备", "版权所有", "Copyright", "COPYRIGHT", "copyright", "©",
        "当前位置", "您现在的位置", "您的位置", "扫一扫", "分享到", "手机打开", "网站地图", "设为首页", "加入收藏",
        "网站声明", "分辨率", "备案号", "网站找错", "网站纠错", "Produced By", "Powered by", "您是第",
    ]

    /// Footer words that a document may also use (a conference notice names its 主办单位, a plan calls for
    /// 技术支持): see `Verdict`.
    static let footerWords = ["主办单位", "承办单位", "协办单位", "运行维护单位", "技术支持", "联系我们", "现在位置",
                              "所在位置", "访问量", "浏览器", "主办：", "承办：", "地址：", "邮编", "电话："]

    /// Words of a toolbar; a short line that holds one of the anchors and nothing but toolbar words is chrome.
    private static let toolbarAnchors = ["字体", "字号", "打印", "关闭", "收藏", "分享", "浏览次数", "阅读次数",
                                         "点击数", "点击率", "访问量", "纠错", "返回顶部", "保存本页", "下载全文"]
    private static let toolbarWords = ["打印本页", "打印此页", "打印正文", "关闭窗口", "关闭本页", "收藏本页",
                                       "保存本页", "返回顶部", "浏览次数", "阅读次数", "点击数", "点击率", "访问量",
                                       "字体", "字号", "默认", "超大", "打印", "关闭", "收藏", "分享", "纠错",
                                       "字体大小", "我要", "全文", "下载", "保存", "本文", "本页", "窗口", "返回",
                                       "放大", "缩小", "正常", "复位", "标准",
                                       "顶部", "次", "大", "中", "小"]
    private static let toolbarWordScalars = Set(toolbarWords.flatMap(\.unicodeScalars))
    private static let toolbarFiller = CharacterSet(charactersIn: "[]【】()（）|｜丨:：/·•-—_,，、 ")
        .union(.whitespacesAndNewlines).union(.decimalDigits)

    /// Headings of lists of other pages' links.
    private static let relatedHeadings: Set<String> = [
        "相关链接", "相关稿件", "相关文章", "相关新闻", "相关阅读", "延伸阅读", "相关文件", "推荐阅读", "热点推荐",
        "相关信息", "相关政策", "相关解读", "图片新闻", "热点新闻", "最新文章",
    ]

    /// Certainly chrome: dropped wherever it stands, inside the article too.
    static func isChrome(_ line: PageLine) -> Bool { isChrome(line.text, visible: line.visibleCount) }

    static func isChrome(_ text: String, visible: Int) -> Bool {
        if visible <= 200, !text.unicodeScalars.contains("。"), containsMarker(text, from: footerMarkersByFirstScalar) {
            return true
        }
        if visible <= 60, text.hasPrefix("上一篇") || text.hasPrefix("下一篇") { return true }
        if visible <= 12, isRelatedHeading(text) { return true }
        return visible <= 40 && isToolbar(text)
    }

    /// How sure a line is chrome.
    enum Verdict {
        case article
        /// One footer word (主办单位, 技术支持…): a little against the element around it.
        case doubtful
        /// Two footer words and no sentence: a footer by its looks, but a conference notice names its
        /// 主办单位 and 承办单位 too, so inside the article it goes only when nothing but chrome follows it.
        case footerLike
        /// Certain chrome, dropped wherever it stands.
        case chrome
    }

    static func verdict(on line: PageLine) -> Verdict {
        if isChrome(line) { return .chrome }
        guard line.visibleCount <= 200, !line.text.unicodeScalars.contains("。") else { return .article }
        let words = footerWords.filter { line.text.containsBytes(of: $0) }.count
        return words >= 2 ? .footerLike : words == 1 ? .doubtful : .article
    }

    /// Markers by their first scalar, so a line is searched only for markers that can occur in it.
    private static let footerMarkersByFirstScalar: [Unicode.Scalar: [String]] =
        Dictionary(grouping: footerMarkers, by: { $0.unicodeScalars.first! })
    private static let footerWordsByFirstScalar: [Unicode.Scalar: [String]] =
        Dictionary(grouping: footerWords, by: { $0.unicodeScalars.first! })

    private static func containsMarker(_ text: String, from markersByFirstScalar: [Unicode.Scalar: [String]]) -> Bool {
        var tried: Set<Unicode.Scalar> = []
        for scalar in text.unicodeScalars {
            guard let markers = markersByFirstScalar[scalar], tried.insert(scalar).inserted else { continue }
            if markers.contains(where: { text.containsBytes(of: $0) }) { return true }
        }
        return false
    }

    static func isRelatedHeading(_ text: String) -> Bool {
        guard text.unicodeScalars.count <= 24 else { return false }
        let bare = text.unicodeScalars.filter { !toolbarFiller.contains($0) }
        return relatedHeadings.contains(String(String.UnicodeScalarView(bare)))
    }

    /// `[字体：大 中 小] [打印] [关闭]`, `打印 | 关闭`, `浏览次数：2168`: anchors and filler only.
    static func isToolbar(_ text: String) -> Bool {
        guard toolbarAnchors.contains(where: { text.containsBytes(of: $0) }) else { return false }
        // A plain scalar that is neither filler nor in a toolbar word survives the removals below (prose that
        // mentions 分享 or 打印), so the line is settled without them.
        for scalar in text.unicodeScalars where PlainText.isPlain(scalar) {
            if !toolbarFiller.contains(scalar) && !toolbarWordScalars.contains(scalar) { return false }
        }
        var rest = text
        for word in toolbarWords { rest = rest.replacingOccurrences(of: word, with: "") }
        return rest.unicodeScalars.allSatisfy { toolbarFiller.contains($0) }
    }

    /// Full stops, commas and semicolons: the marks of running prose, which chrome rarely has.
    static func hasSentencePunctuation(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            switch scalar {
            case "，", "。", "；", "！", "？", ",", ";", "!", "?": true
            default: false
            }
        }
    }

    /// A link to a document the article attaches (附件), which belongs to the article.
    static func isAttachmentLink(_ line: PageLine) -> Bool {
        if line.text.hasPrefix("附件") || line.text.hasPrefix("附表") { return true }
        let documentSuffixes = [".doc", ".docx", ".pdf", ".xls", ".xlsx", ".wps", ".zip", ".rar", ".ofd", ".txt", ".et"]
        return line.links.contains { href in
            let lower = href.lowercased()
            return documentSuffixes.contains { lower.hasSuffix($0) }
        }
    }

    /// How much a line speaks for the element around it being the article: prose counts for, links and
    /// chrome against, plain lines (titles, headings, labels) a little for — so an element that adds a title
    /// above the text beats the text alone, but not one that also adds a menu or a footer.
    static func weight(of line: PageLine, verdict: Verdict) -> Int {
        switch verdict {
        case .chrome: return -(line.visibleCount + 20)
        case .footerLike: return -10
        case .doubtful: return -5
        case .article: break
        }
        if line.linkDensity > 0.5 { return isAttachmentLink(line) ? 1 : -line.visibleCount }
        if hasSentencePunctuation(line.text) { return line.visibleCount }
        return 1
    }
}

/// Chooses the element that holds the article.
///
/// A known CMS container (gov.cn `#UCAP-CONTENT`, TRS `.TRS_Editor`) wins when it holds prose. Otherwise
/// every line votes for the elements around it with its `ChromeRules.weight`, and the element with the
/// highest total wins: an ancestor that adds a menu, a footer or a related-links list scores lower than the
/// article itself, a descendant that leaves out paragraphs scores lower too. On a tie the deeper element
/// wins (the ancestor adds only empty wrappers).
/// - Complexity: O(elements + lines).
enum ArticleLocator {
    /// Known CMS article containers, by id and by class.
    static let knownContainerIDs: Set<String> = ["UCAP-CONTENT"]
    static let knownContainerClasses = ["TRS_Editor"]

    /// The index of the article element, or nil when nothing on the page reads as prose.
    /// `metadataLines` (a `发布时间：… 来源：…` line, a metadata table) count against the elements around
    /// them: they sit beside the article, in the page's frame.
    /// `verdicts[i]` is `ChromeRules.verdict(on:)` for line i.
    static func locate(elements: [PageElement], lines: [PageLine], verdicts: [ChromeRules.Verdict], metadataLines: Set<Int> = [],
                       useKnownContainers: Bool = true) -> Int? {
        guard !elements.isEmpty else { return nil }
        var totals = [Int](repeating: 0, count: elements.count)
        for (index, line) in lines.enumerated() where line.owner >= 0 && line.owner < elements.count {
            totals[line.owner] += metadataLines.contains(index) ? -5 : ChromeRules.weight(of: line, verdict: verdicts[index])
        }
        for index in elements.indices.reversed() where elements[index].parent >= 0 {
            totals[elements[index].parent] += totals[index]
        }

        if useKnownContainers {
            let known = elements.indices.filter { index in
                let element = elements[index]
                return knownContainerIDs.contains(element.id)
                    || knownContainerClasses.contains { element.className.contains($0) }
            }
            if let best = known.max(by: { totals[$0] < totals[$1] }), totals[best] > 0 { return best }
        }

        var best = -1
        for index in elements.indices {
            guard totals[index] > 0 else { continue }
            if best < 0 || totals[index] > totals[best]
                || (totals[index] == totals[best] && index < elements[best].subtreeEnd) {
                best = index
            }
        }
        return best >= 0 ? best : nil
    }

    /// Whether `element` is `container` or inside it.
    static func contains(_ container: Int, _ element: Int, in elements: [PageElement]) -> Bool {
        element >= container && element < elements[container].subtreeEnd
    }
}

extension String {
    /// Substring search on the UTF-8 bytes, without Foundation's locale-aware machinery (which dominated
    /// the profile on large pages).
    func containsBytes(of needle: String) -> Bool {
        let needleBytes = Array(needle.utf8)
        guard let first = needleBytes.first else { return true }
        var haystack = self
        return haystack.withUTF8 { bytes in
            guard bytes.count >= needleBytes.count else { return false }
            var index = 0
            let last = bytes.count - needleBytes.count
            while index <= last {
                if bytes[index] == first {
                    var matched = true
                    for offset in 1..<needleBytes.count where bytes[index + offset] != needleBytes[offset] {
                        matched = false
                        break
                    }
                    if matched { return true }
                }
                index += 1
            }
            return false
        }
    }
}
