/// What a node of the document tree is. The raw value is what JSON and `--kind` use.
///
/// Numbered kinds map one-to-one onto the numbering styles of Chinese official documents, so that the
/// same label always gives the same kind (and id alias) whatever the document type:
/// 第X编 part, 分编 subpart, 第X章 chapter, 第X节 section, 第X条 article, 一、 division, （一） item,
/// 1. / 1、 subitem, （1） point, ① subpoint.
public enum NodeKind: String, Codable, Sendable, CaseIterable {
    /// The whole document.
    case document
    /// 前言 / 序言 / 引言 — a preface before the first chapter.
    case preface
    /// Text before the first heading that is not a preface: salutations (各省、自治区…：), enactment history of a law.
    case preamble
    /// 目录 — a printed table of contents, kept apart so that its entries are not taken for chapters.
    case toc
    /// 第X编 — part (laws, codes).
    case part
    /// 第X分编 — subpart.
    case subpart
    /// 第X章 — chapter.
    case chapter
    /// 第X节 — section.
    case section
    /// 第X条 — article (laws, regulations).
    case article
    /// 一、 — the top numbered heading of plans, opinions and reports.
    case division
    /// （一） — 项 in laws; the second numbered level in plans.
    case item
    /// 1. or 1、 — 目 in laws; the third numbered level in plans.
    case subitem
    /// （1） — the fourth numbered level.
    case point
    /// ① — the fifth numbered level.
    case subpoint
    /// 专栏 — a box of projects or indicators inside a plan.
    case box
    /// 附件 / 附表 — an attachment.
    case attachment
    /// A list label such as "一核:" that opens a short named entry.
    case listEntry
    /// 款 in an article, or an unnumbered paragraph of text.
    case paragraph
    /// The short first sentence of a paragraph that names a measure ("实施高标准的外商投资准入。").
    case lead
    /// A sentence or clause of a paragraph, split at 。；！？.
    case clause
    /// A figure caption (图1 …) under an image.
    case figure
    /// A closing block: signature, date line, 抄送.
    case closing

    /// The alias used in Akoma Ntoso style ids (`chp_5__sec_4__para_2`).
    public var idAlias: String {
        switch self {
        case .document: "doc"
        case .preface: "preface"
        case .preamble: "preamble"
        case .toc: "toc"
        case .part: "part"
        case .subpart: "subpart"
        case .chapter: "chp"
        case .section: "sec"
        case .article: "art"
        case .division: "dvs"
        case .item: "item"
        case .subitem: "subitem"
        case .point: "point"
        case .subpoint: "subpoint"
        case .box: "box"
        case .attachment: "att"
        case .listEntry: "entry"
        case .paragraph: "para"
        case .lead: "lead"
        case .clause: "clause"
        case .figure: "fig"
        case .closing: "closing"
        }
    }

    /// Kinds that stand only once in their parent and take no number in their id (`preface`, `lead`).
    public var isSingleton: Bool {
        switch self {
        case .preface, .preamble, .toc, .lead, .closing: true
        default: false
        }
    }

    /// Kinds that hold other blocks as children (headings), as opposed to text blocks.
    public var isContainer: Bool {
        switch self {
        case .document, .preface, .preamble, .toc, .part, .subpart, .chapter, .section, .box, .attachment: true
        default: false
        }
    }
}
