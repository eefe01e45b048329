// The course page's side of the Seqscope message API: frames pinned to this origin or found by a
// handshake, sized from seqscope:resize, their state shown as it is reported.
const frames = [...document.querySelectorAll('iframe[data-src]')];
for (const f of frames) {
  const src = new URL(f.dataset.src, location.href);
  if (f.dataset.pin) src.searchParams.set('parentOrigin', location.origin);
  f.src = src.href;
  // The handshake: the first valid message tells the frame who its parent is.
  f.addEventListener('load', () => f.contentWindow.postMessage({ type: 'seqscope:getState' }, src.origin));
}
for (const b of document.querySelectorAll('button[data-msg]'))
  b.addEventListener('click', () => {
    const f = document.getElementById(b.dataset.frame);
    f.contentWindow.postMessage(JSON.parse(b.dataset.msg), new URL(f.src).origin);
  });
window.addEventListener('message', (e) => {
  const f = frames.find((x) => x.contentWindow === e.source);
  if (!f || e.origin !== new URL(f.src).origin || !e.data || typeof e.data.type !== 'string') return;
  if (e.data.type === 'seqscope:resize')
    f.style.height = `${Math.min(20000, Math.max(200, e.data.height))}px`;
  if (e.data.type === 'seqscope:state')
    document.getElementById(`state-${f.id}`).textContent = JSON.stringify(e.data, null, 2);
});
