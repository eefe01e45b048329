// The content width of an element, tracked with ResizeObserver, so d3 layouts use real pixels (text in
// the SVG stays its natural size at 1280px and in a 420px course iframe alike).

import { type RefObject, useLayoutEffect, useRef, useState } from 'react';

export function useWidth<T extends HTMLElement>(fallback = 640): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  // Measured before the first paint (a layout effect), so nothing is painted at the fallback width and
  // then resized: that resize was a layout shift of every diagram using this hook.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(200, Math.floor(el.clientWidth)));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}
