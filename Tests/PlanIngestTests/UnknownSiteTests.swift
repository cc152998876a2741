import Foundation
import PlanKit
import Testing
@testable import PlanIngest

/// Page layouts the known-container shortcut does not cover, modelled on provincial government sites: the
/// general method alone (text, punctuation and link density) must find the article.
@Suite struct UnknownSiteTests {
    /// A provincial portal's news page: top bar, search with hot words, a menu, a breadcrumb of list items,
    /// the headline and subtitle in `<h2>`/`<h3>`, a 时间/来源 line with a print/zoom/share toolbar beside it,
    /// the article in `<div>`s (a photo with its caption first), a QR prompt and a footer of link lists.
    static let provincialNewsPage = """
    <html><head><meta charset="utf-8"><title>山西品牌丝路行正式启动 - 某省人民政府门户网站 </title>
    <meta name="ArticleTitle" content="山西品牌丝路行正式启动"><meta name="PubDate" content="2019-09-18 06:23">
    <meta name="ContentSource" content="山西日报"></head>
    <body>
    <div class="topbar"><a href="http://www.gov.cn/">中国政府网</a> <a href="/rd/">省人大</a> <a href="/zx/">省政协</a>
    <ul><li><a href="/wca.html">无障碍浏览</a></li><li><a href="javascript:StranBody()">切換到繁體</a></li></ul></div>
    <div class="header"><form action="/search"><input name="q"></form>
    <p class="hot">热门搜索：<a href="/s?q=1">转型</a> <a href="/s?q=2">综改</a> <a href="/s?q=3">招商引资</a></p></div>
    <ul class="main-nav"><li><a href="/szf/">省政府</a></li><li><a href="/yw/">要闻</a></li><li><a href="/zw/">政策</a></li></ul>
    <div class="main">
    <ul class="breadcrumb"><li><a href="../../../">首页</a></li><li> <span>&gt;</span> <a href="../../">要闻</a> </li><li> <span>&gt;</span> 山西要闻 </li></ul>
    <div class="detail">
      <div class="title"><h3></h3><h2>山西品牌丝路行正式启动</h2><h3>成功举办双向经贸投资推介会</h3></div>
      <ul class="infos">
        <li class="source"><span><i>时间：</i>2019-09-18 06:23</span> <span><i>来源：</i>
           山西日报
        </span></li>
        <li class="func"><span>打印</span> <span><i>字体：</i><a href="javascript:void(0);">放大</a> <a href="javascript:void(0);">正常</a> <a href="javascript:void(0);">缩小</a></span> <span>分享</span></li>
      </ul>
      <div class="article-body">
        <div style="text-align: center;"><img src="./photo.jpg" alt=""></div>
        <div style="text-align: center;"><b>图为山西品牌丝路行启动仪式。（刘通摄）</b></div>
        <div><span style="font-size: 12pt;">　　跨越千山万水，行程近两万公里，山西品牌丝路行首次登陆巴西，刷新“走出去”的最远纪录。</span></div>
        <div>　　举办山西品牌丝路行活动，是我省积极主动融入“一带一路”建设、加快构建内陆地区对外开放新高地的具体举措。</div>
        <div>　　山西品牌丝路行主题为“走丝绸之路，促合作共赢”。南美站活动将先后在巴西、乌拉圭、阿根廷举行。（张巨峰）</div>
      </div>
      <dl class="qcode"><dt>扫一扫在手机打开当前页面</dt><dd><canvas></canvas></dd></dl>
    </div></div>
    <div class="footer">
      <div><p>省政府</p><ul><li><a href="/szf/lddt/">领导动态</a></li><li><a href="/szf/cwhy/">省政府常务会议</a></li></ul></div>
      <div><p>要闻</p><ul><li><a href="/yw/sxyw/">山西要闻</a></li><li><a href="/yw/zwhd/">政务活动</a></li></ul></div>
      <ul class="friend"><li style="display:none;">http://fgw.example.gov.cn</li><li><a href="http://fgw.example.gov.cn">省发展和改革委员会</a></li>
      <li><a href="http://jyt.example.gov.cn">省教育厅</a></li><li>省政府研究室</li></ul>
      <p>主办：某省人民政府办公厅　承办：某省政务信息管理局　网站标识码：1400000045　晋ICP备05000000号</p>
    </div>
    </body></html>
    """

    @Test func provincialNewsPage() throws {
        let data = Data(Self.provincialNewsPage.utf8)
        for useKnown in [true, false] {
            let result = try HTMLIngester.ingest(data, source: nil, useKnownContainers: useKnown)
            let texts = result.blocks.map(\.text)
            #expect(texts.first == "图为山西品牌丝路行启动仪式。（刘通摄）")
            #expect(texts.last == "山西品牌丝路行主题为“走丝绸之路，促合作共赢”。南美站活动将先后在巴西、乌拉圭、阿根廷举行。（张巨峰）")
            #expect(texts.count == 4)
            #expect(result.blocks.first?.hints.contains(.figureCaption) == true)
            #expect(result.metadata.title == "山西品牌丝路行正式启动")
            #expect(result.metadata.date == "2019-09-18")
            #expect(result.metadata.issuer == "山西日报")
            #expect(result.metadata.breadcrumb == ["首页", "要闻", "山西要闻"])
        }
    }

    /// A county site laid out with tables: a sidebar of links beside the article cell; in the cell the title,
    /// a 发布时间/来源/浏览次数 line, paragraphs indented with `&nbsp;` and split by `<br>`, an attachment list,
    /// and the signature; a footer below.
    static let countyTablePage = """
    <html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>某县人民政府</title></head>
    <body><table width="1000" align="center"><tr><td colspan="2"><img src="/images/top.jpg"></td></tr>
    <tr><td width="220" valign="top">
      <table><tr><td><a href="/zwgk/">政务公开</a></td></tr><tr><td><a href="/tzgg/">通知公告</a></td></tr>
      <tr><td><a href="/zcwj/">政策文件</a></td></tr><tr><td><a href="/bsfw/">办事服务</a></td></tr></table>
    </td><td valign="top">
      <table width="100%"><tr><td align="center"><b>某县人民政府办公室关于印发某县优化营商环境实施方案的通知</b></td></tr>
      <tr><td align="center">发布时间：2021-06-08&nbsp;&nbsp;来源：县政府办公室&nbsp;&nbsp;浏览次数：1024</td></tr>
      <tr><td>
      <p align="center">某政办发〔2021〕15号</p>
      <p>各乡镇人民政府，县政府各部门：</p>
      <p>&nbsp;&nbsp;&nbsp;&nbsp;《某县优化营商环境实施方案》已经县政府同意，现印发给你们，请认真贯彻执行。<br>&nbsp;&nbsp;&nbsp;&nbsp;执行中遇到的问题，请及时向县发展改革局反映。</p>
      <p>附件：<a href="/upload/2021/fangan.doc">某县优化营商环境实施方案.doc</a></p>
      <p align="right">某县人民政府办公室</p>
      <p align="right">2021年6月7日</p>
      </td></tr></table>
    </td></tr>
    <tr><td colspan="2" align="center">主办单位：某县人民政府办公室　技术支持：某某网络公司　备案号：某ICP备12345678号</td></tr>
    </table></body></html>
    """

    /// The headline sits in its own row above the article's cell, so it is the metadata title, not a block
    /// (as on the Zhejiang page); the attachment link stays with the article.
    @Test func countyTablePage() throws {
        let data = Data(Self.countyTablePage.utf8)
        let result = try HTMLIngester.ingest(data, source: nil, useKnownContainers: false)
        #expect(result.blocks.map(\.text) == [
            "某政办发〔2021〕15号",
            "各乡镇人民政府，县政府各部门：",
            "《某县优化营商环境实施方案》已经县政府同意，现印发给你们，请认真贯彻执行。",
            "执行中遇到的问题，请及时向县发展改革局反映。",
            "附件：某县优化营商环境实施方案.doc",
            "某县人民政府办公室",
            "2021年6月7日",
        ])
        try #require(result.blocks.count == 7)
        #expect(result.blocks[2].hints.contains(.indented) && result.blocks[3].hints.contains(.indented))
        #expect(result.blocks[5].hints.contains(.rightAligned))
        #expect(result.metadata.title == "某县人民政府办公室关于印发某县优化营商环境实施方案的通知")
        #expect(result.metadata.date == "2021-06-08")
        #expect(result.metadata.issuer == "县政府办公室")
        #expect(result.metadata.documentNumber == "某政办发〔2021〕15号")
    }
}
