// XSS corpus for model output. Each payload, if it ever runs, calls alert(<n>) (the fake backend
// turns alert/confirm/prompt into a recorded hit) or sets window.__xss = <n>; <n> is its number.
// Payloads that only act when clicked (javascript: links) are caught by the DOM audit instead.
const B64_HTML = Buffer.from("<script>alert(10)</script>").toString("base64");

/** @type {[string, string][]} [name, markdown]; `N` is replaced by the payload number. */
const RAW = [
  ["script tag", "hello <script>alert(N)</script> world"],
  ["script, uppercase and split", "<SCRIPT>alert(N)</SCRIPT><scr<script>ipt>alert(N)</script>"],
  ["img onerror", "<img src=x onerror=alert(N)>"],
  ["img onerror eval(src)", "<img src=x:alert(N) onerror=eval(src)>"],
  ["svg onload", "<svg onload=alert(N)><circle r=1 /></svg>"],
  ["svg animate onbegin", "<svg><animate onbegin=alert(N) attributeName=x dur=1s></svg>"],
  ["svg xlink:href javascript:", '<svg><a xlink:href="javascript:alert(N)"><text x=20 y=20>svg link</text></a></svg>'],
  ["javascript: markdown link", "[click me](javascript:alert(N))"],
  ["javascript: html link", '<a href="javascript:alert(N)">click</a>'],
  ["javascript: reference link", "[ref link][r]\n\n[r]: javascript:alert(N)"],
  ["javascript: autolink", "<javascript:alert(N)>"],
  ["entity-obfuscated javascript:", '<a href="&#106;avascript:alert(N)">e1</a> <a href="&#x6A;&#x61;vascript&colon;alert(N)">e2</a> [e3](&#106;avascript:alert(N))'],
  ["tab/newline/space in scheme", '<a href="jav&#x09;ascript:alert(N)">t1</a> <a href="  javascript:alert(N)">t2</a> <a href="java\nscript:alert(N)">t3</a>'],
  ["vbscript: link", '[vb](vbscript:msgbox(N)) <a href="VBScript:msgbox(N)">vb2</a>'],
  ["data:text/html links", `<a href="data:text/html;base64,${B64_HTML}">d1</a> [d2](data:text/html,<script>alert(N)</script>)`],
  ["iframe srcdoc", '<iframe srcdoc="<script>parent.alert(N)</script>"></iframe>'],
  ["iframe javascript:", '<iframe src="javascript:parent.alert(N)"></iframe>'],
  ["object / embed", '<object data="javascript:alert(N)"></object><embed src="javascript:alert(N)"><object data="data:text/html,<script>alert(N)</script>"></object>'],
  ["form action / formaction", '<form action="javascript:alert(N)"><button>go</button></form><button form=x formaction="javascript:alert(N)">fa</button>'],
  ["mXSS math/mtext/table/mglyph/style", "<math><mtext><table><mglyph><style><img src=x onerror=alert(N)>"],
  ["mXSS form/math/mglyph/svg/style", '<form><math><mtext></form><form><mglyph><svg><mtext><style><path id="</style><img onerror=alert(N) src>">'],
  ["mXSS svg/p/style", '<svg></p><style><a id="</style><img src=1 onerror=alert(N)>">'],
  ["mXSS math style", "<math><style><img src=x onerror=alert(N)></style></math>"],
  ["noscript title breakout", '<noscript><p title="</noscript><img src=x onerror=alert(N)>"></noscript>'],
  ["noembed/xmp/noframes breakout", '<noembed><img title="</noembed><img src=x onerror=alert(N)>"></noembed><xmp><img src=x onerror=alert(N)></xmp><noframes><img title="</noframes><img src=x onerror=alert(N)>"></noframes>'],
  ["template / select template", "<template><img src=x onerror=alert(N)></template><select><template><img src=x onerror=alert(N)></template></select>"],
  ["style @import and expression", "<style>@import 'https://evil.example/x.css'; body{background:url(javascript:alert(N))}</style><div style=\"background:url(https://evil.example/bg.png);width:expression(alert(N))\">styled</div>"],
  ["link stylesheet / import", '<link rel=stylesheet href="https://evil.example/x.css"><link rel=import href="https://evil.example/x.html">'],
  ["meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(N)"><meta http-equiv="refresh" content="0;url=https://evil.example/">'],
  ["base href", '<base href="javascript:alert(N)//"><base href="https://evil.example/"> then [relative](page.html)'],
  ["event handlers on common tags", '<p onclick=alert(N)>p</p><div onmouseover=alert(N) onpointerenter=alert(N)>div</div><span onfocus=alert(N) tabindex=0 autofocus>span</span><b onanimationstart=alert(N)>b</b><a onmouseenter=alert(N) href="https://ok.example">a</a><table onclick=alert(N)><tr><td onclick=alert(N)>td</td></tr></table><li onclick=alert(N)>li</li><h1 onclick=alert(N)>h1</h1><blockquote onclick=alert(N)>q</blockquote><code onclick=alert(N)>c</code>'],
  ["autofocus handlers", '<input autofocus onfocus=alert(N)><textarea autofocus onfocus=alert(N)></textarea><select autofocus onfocus=alert(N)></select><button autofocus onfocus=alert(N)>b</button><keygen autofocus onfocus=alert(N)>'],
  ["body / html handlers", "<body onload=alert(N)><html onmouseover=alert(N)>"],
  ["details ontoggle", "<details open ontoggle=alert(N)><summary>s</summary>x</details>"],
  ["video/audio source onerror", '<video><source onerror="alert(N)"></video><audio src=x onerror=alert(N)></audio><video poster=javascript:alert(N)></video>'],
  ["input type=image / image tag", "<input type=image src=x onerror=alert(N)><image src=x onerror=alert(N)><isindex type=image src=x onerror=alert(N)>"],
  ["markdown image javascript:", "![alt](javascript:alert(N)) ![x\" onerror=\"alert(N)](x)"],
  ["markdown image onerror via title", '![a](https://evil.example/x.png "t\\" onerror=\\"alert(N)")'],
  ["link title breakout", '[x](https://ok.example "title\\"><img src=x onerror=alert(N)>")'],
  ["marquee / dialog / popover", '<marquee onstart=alert(N)>m</marquee><dialog open onclose=alert(N)>d</dialog><div popover id=pp onbeforetoggle=alert(N)>p</div>'],
  ["DOM clobbering", '<form id="__TAURI_INTERNALS__"><input name="invoke"></form><img name="getElementById"><a id="__fakeIpc"></a><a id="defaultView" name="body"></a><div id="app">clobber</div>'],
  ["svg use data:", '<svg><use href="data:image/svg+xml;base64,PHN2ZyBpZD0neCcgeG1sbnM9J2h0dHA6Ly93d3cudzMub3JnLzIwMDAvc3ZnJz48aW1hZ2UgaHJlZj0neCcgb25lcnJvcj0nYWxlcnQoMSknLz48L3N2Zz4=#x"/></svg>'],
  ["KaTeX \\href / \\url", "$\\href{javascript:alert(N)}{click}$ and $$\\url{javascript:alert(N)}$$"],
  ["KaTeX html extensions", "$\\htmlData{foo=bar}{x}\\htmlId{app}{y}\\htmlStyle{position:fixed;inset:0}{z}\\includegraphics{https://evil.example/x.png}$"],
  ["KaTeX text escaping", "$\\text{<img src=x onerror=alert(N)>}$"],
  ["html in a table cell", "| a | b |\n|---|---|\n| <img src=x onerror=alert(N)> | <a href=\"javascript:alert(N)\">x</a> |"],
  ["code spans stay text", "`<img src=x onerror=alert(N)>`\n\n```html\n<script>alert(N)</script>\n```"],
  ["setting __xss directly", '<img src=x onerror="window.__xss=N"><svg><script>window.__xss=N</script></svg>'],
];

export const PAYLOADS = RAW.map(([name, md], i) => {
  const n = i + 1;
  return { n, name, md: md.replace(/\bN\b/g, String(n)) };
});
