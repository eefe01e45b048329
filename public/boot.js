// Runs before the app, as a classic script: in an iframe sandboxed without allow-same-origin the page has
// an opaque origin, its module scripts are blocked (CORS), and the reader would see a blank frame. Say in
// words what the course author must add instead. No markup is injected: text nodes only.
(() => {
  var box = document.getElementById('boot');
  if (!box) return;
  var opaque = self.origin === 'null';
  if (!opaque) return;
  var zh = /^zh/i.test(navigator.language || '');
  box.setAttribute('role', 'alert');
  box.setAttribute('data-testid', 'sandbox-message');
  box.textContent = zh
    ? 'Seqscope 无法在此框架中运行：iframe 的 sandbox 属性缺少 allow-same-origin。请课程作者在 sandbox 中加入 “allow-scripts allow-same-origin”。'
    : 'Seqscope cannot run in this frame: the iframe is sandboxed without allow-same-origin. The course author should use sandbox="allow-scripts allow-same-origin".';
})();
