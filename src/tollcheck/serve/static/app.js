// tollcheck serve: open a claim's panel when its figure is clicked, and turn a selection in the
// report's text into the character offsets of a claim to add. No framework, nothing fetched.
"use strict";

(function () {
  const text = document.getElementById("report-text");

  function openPanel(id, scroll) {
    document.querySelectorAll(".panel.open").forEach(function (p) { p.classList.remove("open"); });
    const panel = document.getElementById(id);
    if (!panel) { return; }
    panel.classList.add("open");
    if (scroll) { panel.scrollIntoView({ block: "nearest" }); }
  }

  // characters of the original text before (node, offset): the text's text, without the .also badges
  function offsetOf(node, offset) {
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(node, offset);
    const frag = range.cloneContents();
    frag.querySelectorAll(".also").forEach(function (el) { el.remove(); });
    return frag.textContent.length;
  }

  function onSelect() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return; }
    const range = sel.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) { return; }
    const start = offsetOf(range.startContainer, range.startOffset);
    const end = offsetOf(range.endContainer, range.endOffset);
    if (end <= start) { return; }
    const frag = range.cloneContents();
    frag.querySelectorAll(".also").forEach(function (el) { el.remove(); });
    const words = frag.textContent;
    document.getElementById("sel-start").value = String(start);
    document.getElementById("sel-end").value = String(end);
    document.getElementById("sel-quote").textContent = words;
    document.getElementById("sel-words").value = words;
    const figure = words.match(/\d[\d,]*/);
    const low = document.getElementById("sel-low");
    if (figure && !low.value) { low.value = figure[0].replace(/,/g, ""); }
    openPanel("add-claim", true);
  }

  if (text) {
    text.addEventListener("click", function (ev) {
      const a = ev.target.closest("a[data-claim]");
      if (!a || !window.getSelection().isCollapsed) { return; }
      ev.preventDefault();
      const id = "claim-" + a.dataset.claim;
      history.replaceState(null, "", "#" + id);
      openPanel(id, true);
    });
    if (document.getElementById("add-claim")) {
      text.addEventListener("mouseup", onSelect);
      text.addEventListener("keyup", onSelect);
    }
  }
  if (location.hash.startsWith("#claim-")) { openPanel(location.hash.slice(1), true); }
})();
