"""The UI strings of the pages, in both languages.

Templates call ``t("key")`` for the page's language; the same table is embedded in every page as
JSON (a data block, not a script) so that the language switch changes the text in place.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "brand": {"zh": "融通", "en": "Rongtong"},
    "brand_sub": {"zh": "职普融通升学指南", "en": "Vocational & general pathways guide"},
    "nav_chat": {"zh": "问答", "en": "Ask"},
    "nav_explore": {"zh": "路径图", "en": "Pathways"},
    "nav_sparql": {"zh": "SPARQL 查询", "en": "SPARQL"},
    "lang_switch": {"zh": "English", "en": "中文"},
    "lang_switch_label": {"zh": "Switch to English", "en": "切换到中文"},
    "skip": {"zh": "跳到主要内容", "en": "Skip to main content"},
    # chat
    "chat_title": {
        "zh": "中职、普高、高职、本科……怎么选？",
        "en": "Vocational or general track? Ask about the routes.",
    },
    "chat_intro": {
        "zh": "用自己的话提问：升学路径、普职转换、专业对应的职业和证书、政策和事实。每个回答都注明来源。",
        "en": "Ask in your own words about routes between schools, switching tracks, what a "
        "programme leads to, certificates and policies. Every answer names its sources.",
    },
    "province_note": {
        "zh": "各省政策不同：具体招生计划、考试科目和转学条件，请以本省教育考试院和学校当年公布的为准。",
        "en": "Policies vary by province: confirm quotas, exam subjects and transfer rules with "
        "your provincial education examination authority and the school for the current year.",
    },
    # privacy (web/templates/chat.html): logging, then memory "… {minutes} …", then a request
    "privacy_logging": {
        "zh": "隐私：你在这里输入的内容不会写入服务器日志。",
        "en": "Privacy: what you type here is not written to the server's logs. ",
    },
    "privacy_logging_on": {
        "zh": "隐私：本服务器的日志会记录你在这里输入内容的删节版（隐去数字和邮箱地址，最多 80 个字符）。",
        "en": "Privacy: this server logs a redacted form of what you type here (digits and "
        "e-mail addresses hidden, at most 80 characters). ",
    },
    "privacy_memory_1": {
        "zh": "为理解后续问题，服务器只在本次会话中记住对话要点（如学段、专业、地区），最后一次提问",
        "en": "To follow up on your questions, the server remembers the gist of this conversation "
        "(such as your stage, programme or region) for this session only; it expires ",
    },
    "privacy_memory_2": {
        "zh": "分钟后自动过期删除。",
        "en": " minutes after your last message. ",
    },
    "privacy_ask": {
        "zh": "请勿输入姓名、身份证号、电话等个人信息。",
        "en": "Please don't type names, ID or phone numbers or other personal details.",
    },
    "try_asking": {"zh": "可以这样问：", "en": "Try asking:"},
    "input_label": {"zh": "你的问题", "en": "Your question"},
    "input_placeholder": {
        "zh": "输入你的问题，按 Enter 发送",
        "en": "Type a question; Enter sends",
    },
    "send": {"zh": "发送", "en": "Send"},
    "new_chat": {"zh": "新对话", "en": "New chat"},
    "you": {"zh": "你", "en": "You"},
    "advisor": {"zh": "融通", "en": "Rongtong"},
    "thinking": {"zh": "正在查找……", "en": "Looking it up…"},
    "sources": {"zh": "来源", "en": "Sources"},
    "related": {"zh": "相关条目", "en": "Related entries"},
    "follow_ups": {"zh": "接着问：", "en": "Ask next:"},
    "route_map": {"zh": "路径图", "en": "Route map"},
    "open_in_explorer": {"zh": "在路径图中查看全部路线", "en": "See every route in the explorer"},
    "error_failed": {
        "zh": "抱歉，请求没有成功：",
        "en": "Sorry, the request did not go through:",
    },
    "error_network": {
        "zh": "无法连接服务器，请检查网络后重试。",
        "en": "Could not reach the server. Check the connection and try again.",
    },
    "retry": {"zh": "重试", "en": "Try again"},
    "years": {"zh": "年", "en": "years"},
    # a path's years count from the end of its start stage: "more", not "in all"
    "more_years": {"zh": "此后约 {n} 年", "en": "about {n} more years"},
    "suggest_1": {
        "zh": "孩子中考没考上普高怎么办？",
        "en": "My child missed the cut-off for general high school. What now?",
    },
    "suggest_2": {
        "zh": "读中职能考大学吗？",
        "en": "Can a secondary vocational student get a bachelor's degree?",
    },
    "suggest_3": {
        "zh": "高职毕业能读本科吗？",
        "en": "Can I study for a bachelor's after higher vocational college?",
    },
    "suggest_4": {
        "zh": "职业教育是不是低人一等？",
        "en": "Is vocational education only for students with bad grades?",
    },
    "suggest_5": {"zh": "什么是1+X证书？", "en": "What is the 1+X certificate system?"},
    # explore
    "explore_title": {"zh": "升学路径图", "en": "Pathway explorer"},
    "explore_intro": {
        "zh": "选择起点和目标（阶段或专业），查看所有路线；点一步看它的方式、年限、条件、地区和来源。",
        "en": "Choose a start and a goal (a stage or a programme) to see every route; select a "
        "step to see how it works, how long it takes, its conditions, region and source.",
    },
    "from": {"zh": "起点", "en": "From"},
    "to": {"zh": "目标", "en": "To"},
    "from_placeholder": {
        "zh": "如：中职、初中、护理",
        "en": "e.g. secondary vocational, junior secondary",
    },
    "to_placeholder": {"zh": "如：本科、专业硕士", "en": "e.g. bachelor, professional master"},
    "show_routes": {"zh": "查看路线", "en": "Show routes"},
    "swap": {"zh": "对调", "en": "Swap"},
    "quick_picks": {"zh": "常用：", "en": "Common:"},
    "qp_1": {"zh": "中职 → 本科", "en": "Secondary vocational → Bachelor"},
    "qp_2": {"zh": "初中 → 高职", "en": "Junior secondary → Higher vocational"},
    "qp_3": {"zh": "高职 → 硕士", "en": "Higher vocational → Master"},
    "routes_found": {"zh": "条路线", "en": "routes"},
    "route_found": {"zh": "条路线", "en": "route"},
    "no_routes": {
        "zh": "在图谱中没有找到这两者之间的路线（最多 4 步）。",
        "en": "No route between these two was found in the graph (up to 4 steps).",
    },
    "route": {"zh": "路线", "en": "Route"},
    "ways_here": {"zh": "种方式可以走这一步：", "en": "ways to take this step:"},
    "show_all_routes": {"zh": "显示全部 {n} 条路线", "en": "Show all {n} routes"},
    "step_details": {"zh": "这一步", "en": "This step"},
    "select_step": {
        "zh": "点击图中的连线或下面列表中的一步，查看详情。",
        "en": "Select an arrow in the map or a step in the list below for its details.",
    },
    "mechanism": {"zh": "方式", "en": "How"},
    "same_field": {"zh": "同领域专业", "en": "Same-field programmes"},
    "wait_years": {
        "zh": "须先等满 {n} 年（计入总年限）",
        "en": "after a {n}-year wait (counted in the total)",
    },
    "same_field_note": {
        "zh": "按专业代码对应推导，不是官方接续专业名单；共 {n} 个。",
        "en": "Derived from aligned catalogue codes, not an official list; {n} in all.",
    },
    "conditions": {"zh": "条件", "en": "Conditions"},
    "region": {"zh": "地区", "en": "Region"},
    "source": {"zh": "来源", "en": "Source"},
    "unknown": {"zh": "未知", "en": "unknown"},
    "pick_both": {"zh": "请先选择起点和目标。", "en": "Choose a start and a goal first."},
    "no_match": {"zh": "没有匹配的条目", "en": "No matching entries"},
    # sparql
    "sparql_title": {
        "zh": "SPARQL 查询（供升学指导老师使用）",
        "en": "SPARQL queries for counselors",
    },
    "sparql_intro": {
        "zh": "只读的 SPARQL 1.1 端点。选择一个示例查询或自己编写，结果可下载为 CSV。",
        "en": "A read-only SPARQL 1.1 endpoint. Pick an example query or write your own; "
        "download the results as CSV.",
    },
    "examples": {"zh": "示例查询", "en": "Example queries"},
    "load": {"zh": "载入", "en": "Load"},
    "run": {"zh": "运行", "en": "Run"},
    "run_hint": {"zh": "Ctrl+Enter 运行", "en": "Ctrl+Enter runs"},
    "download_csv": {"zh": "下载 CSV", "en": "Download CSV"},
    "download_json": {"zh": "下载 JSON", "en": "Download JSON"},
    "results": {"zh": "结果", "en": "Results"},
    "rows": {"zh": "行", "en": "rows"},
    "truncated": {
        "zh": "结果超过行数上限，已截断；请加 LIMIT 或缩小查询范围。",
        "en": "More rows matched than the row cap: the result is truncated. Add LIMIT or narrow "
        "the query.",
    },
    "showing_first": {
        "zh": "表格显示前 {n} 行（共 {total} 行）；完整结果请下载 CSV。",
        "en": "The table shows the first {n} of {total} rows; download the CSV for all.",
    },
    "running": {"zh": "正在运行……", "en": "Running…"},
    "endpoint_note": {
        "zh": "程序访问：GET/POST /sparql，按 Accept 返回 JSON、XML、CSV、TSV、Turtle、N-Triples 或 JSON-LD。",
        "en": "For programs: GET/POST /sparql; JSON, XML, CSV, TSV, Turtle, N-Triples or JSON-LD "
        "by Accept.",
    },
    "params_note": {"zh": "参数：", "en": "Parameters:"},
    # entity / source
    "types": {"zh": "类型", "en": "Type"},
    "also_called": {"zh": "又称", "en": "Also called"},
    "definition": {"zh": "释义", "en": "Definition"},
    "properties": {"zh": "信息", "en": "Details"},
    "property": {"zh": "属性", "en": "Property"},
    "value": {"zh": "值", "en": "Value"},
    "rests_on": {"zh": "依据的来源", "en": "Sources this rests on"},
    "cited_by": {"zh": "引用此来源的条目", "en": "Entries that cite this source"},
    "linked_from": {"zh": "指向此条目的", "en": "Linked from"},
    "json_twin": {"zh": "JSON 数据", "en": "JSON data"},
    "routes_from_here": {"zh": "从这里出发的路线", "en": "Routes from here"},
    "open_source": {"zh": "打开原文", "en": "Open the original"},
    "not_found_title": {"zh": "没有找到", "en": "Not found"},
    "not_found_text": {
        "zh": "图谱里没有这个条目。可以回到问答页或路径图搜索。",
        "en": "There is no such entry in the graph. Search from the chat or the explorer.",
    },
    "back_home": {"zh": "回到首页", "en": "Back to the start"},
    # footer
    "graph_version": {"zh": "图谱版本", "en": "Graph version"},
    "newest_source": {"zh": "最新来源", "en": "newest source"},
    "triples": {"zh": "三元组", "en": "triples"},
    "footer_note": {
        "zh": "信息来自公开政策文件、目录和研究论文，仅供参考，不构成招生承诺。",
        "en": "Information from public policy documents, catalogues and research papers; for "
        "guidance only, not an admissions promise.",
    },
    "api_docs": {"zh": "API 说明", "en": "API description"},
}

LANGS = ("zh", "en")


def translate(key: str, lang: str) -> str:
    entry = STRINGS.get(key)
    if not entry:
        return key
    return entry.get(lang) or entry.get("zh") or key


def table(lang: str | None = None) -> dict[str, dict[str, str]]:
    """The whole table (both languages), for the page's JSON data block."""
    return STRINGS
