/** Escapes text for an HTML attribute value. */
function attr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The console's HTML shell: the built script and stylesheet (same origin), the endpoint, and, for a
 * browser on this machine with the embedded default, the development token in a meta tag (read by the
 * script; a meta tag needs no inline script, so the CSP stays script-src 'self').
 */
export function renderConsolePage(opts: { endpoint: string; devToken?: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="ledgerline-endpoint" content="${attr(opts.endpoint)}">
${opts.devToken ? `<meta name="ledgerline-dev-token" content="${attr(opts.devToken)}">\n` : ''}<title>Ledgerline operations console</title>
<link rel="stylesheet" href="/console/app.css">
<script type="module" src="/console/app.js"></script>
</head>
<body>
<div id="app"><p class="boot">Loading the operations console...</p></div>
<noscript>The operations console needs JavaScript.</noscript>
</body>
</html>
`;
}
