// Whether an element is on screen (or near it), for views that keep hundreds of live widgets: those out of view can
// render a still placeholder and skip the live updates nobody sees. One observer serves every element.
import { useEffect, useState } from "preact/hooks";

type Listener = (inView: boolean) => void;

const listeners = new WeakMap<Element, Listener>();
let observer: IntersectionObserver | undefined;

function shared(): IntersectionObserver {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) listeners.get(entry.target)?.(entry.isIntersecting);
    },
    // Start rendering a screen's height before an element scrolls in, so that it is live when it arrives.
    { rootMargin: "100% 0px" },
  );
  return observer;
}

/** True while the element is within a screen of the viewport; false until the first observation. */
export function useInView(ref: { current: Element | null }): boolean {
  const [inView, setInView] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (element === null) return;
    listeners.set(element, setInView);
    shared().observe(element);
    return () => {
      shared().unobserve(element);
      listeners.delete(element);
    };
  }, [ref]);
  return inView;
}
