/* chapters/_ext/page_fit.py: every display equation and every table scrolls sideways inside its own
   box, and a box whose content is wider than it shows it (pf-overflows, pf-more-left/right: page_fit.css). */
(function () {
  "use strict";
  var BOX = "pf-scroll";
  var boxOf = new WeakMap();  // an observed element -> the scroller it belongs to

  // A numbered equation that cannot sit beside its number (a phone) puts the number under it,
  // which leaves the equation the whole width (page_fit.css: div.math.pf-number-below).
  function placeNumber(box) {
    var div = box.parentElement;
    if (!div || !div.classList.contains("math") || box.tagName.toLowerCase() !== "mjx-container") return;
    var no = div.querySelector(":scope > .eqno"), math = box.querySelector("mjx-math");
    if (!no || !math) return;
    var cs = getComputedStyle(box), gap = parseFloat(getComputedStyle(div).columnGap) || 0;
    var need = math.getBoundingClientRect().width + parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight)
      + no.getBoundingClientRect().width + Math.max(gap, 8);
    div.classList.toggle("pf-number-below", need > div.clientWidth);
  }

  function update(box) {
    placeNumber(box);
    var over = box.scrollWidth > box.clientWidth + 1;
    var left = over && box.scrollLeft > 1;
    var right = over && box.scrollLeft + box.clientWidth < box.scrollWidth - 1;
    box.classList.toggle("pf-overflows", over);
    box.classList.toggle("pf-more-left", left);
    box.classList.toggle("pf-more-right", right);
    if (over && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");  // scrolls with the arrow keys too
      box.dataset.pfTabindex = "1";
    } else if (!over && box.dataset.pfTabindex) {
      box.removeAttribute("tabindex");
      delete box.dataset.pfTabindex;
    }
  }

  var resized = new ResizeObserver(function (entries) {
    entries.forEach(function (e) {
      var box = boxOf.get(e.target);
      if (box) update(box);
    });
  });

  function adopt(box, content) {
    if (!box.classList.contains(BOX)) {
      box.classList.add(BOX);
      box.addEventListener("scroll", function () { update(box); }, { passive: true });
      boxOf.set(box, box);
      resized.observe(box);
    }
    if (content && !boxOf.has(content)) {
      boxOf.set(content, box);
      resized.observe(content);
    }
    update(box);
  }

  // the nearest ancestor (below root) that already scrolls sideways, or null
  function scroller(el, root) {
    for (var a = el.parentElement; a && a !== root; a = a.parentElement) {
      var o = getComputedStyle(a).overflowX;
      if (o === "auto" || o === "scroll") return a;
      if (o === "hidden" || o === "clip") return null;
    }
    return null;
  }

  function root() {
    return document.querySelector("article.bd-article") || document.querySelector("main") || document.body;
  }

  function tables() {
    var r = root();
    r.querySelectorAll("table").forEach(function (t) {
      if (boxOf.has(t) || t.closest("mjx-container")) return;
      var box = scroller(t, r);
      if (!box) {
        box = document.createElement("div");
        box.className = BOX + " pf-table";
        t.parentNode.insertBefore(box, t);
        box.appendChild(t);
      }
      adopt(box, t);
    });
  }

  function figures() {
    root().querySelectorAll("span.pf-figure").forEach(function (s) {
      var img = s.querySelector("img");
      adopt(s, img);
      if (img && !img.complete) img.addEventListener("load", function () { update(s); });
    });
  }

  function equations(scope) {
    (scope || document).querySelectorAll('mjx-container[display="true"]').forEach(function (m) {
      adopt(m, m.querySelector("mjx-math"));
    });
  }

  function start() {
    tables();
    figures();
    equations();
    // MathJax typesets after this script has run: take its display equations as they come
    new MutationObserver(function (records) {
      records.forEach(function (rec) {
        rec.addedNodes.forEach(function (n) {
          if (n.nodeType !== 1) return;
          if (n.matches('mjx-container[display="true"]')) adopt(n, n.querySelector("mjx-math"));
          else if (n.querySelector) equations(n);
        });
      });
    }).observe(root(), { childList: true, subtree: true });
    window.addEventListener("load", function () {
      document.querySelectorAll("." + BOX).forEach(update);
    });
    if (document.fonts && document.fonts.ready) {
      document.fonts.ready.then(function () { document.querySelectorAll("." + BOX).forEach(update); });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
