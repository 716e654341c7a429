(function () {
  "use strict";
  var started = performance.now();
  var data = null;
  var tip = document.getElementById("tip");
  var panel = document.getElementById("panel");
  var panelBody = document.getElementById("panel-body");
  var active = [];

  function load() {
    // parsed on first use: opening the page costs nothing for the findings' data
    if (data === null) {
      data = JSON.parse(document.getElementById("textmend-data").textContent);
    }
    return data;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function place(where) { return where.row + ":" + where.column; }

  function flagged(i) {
    var parts = document.querySelectorAll('mark[data-i="' + i + '"]');
    var text = "";
    for (var k = 0; k < parts.length; k++) { text += parts[k].textContent; }
    return text;
  }

  // the findings a highlight belongs to, innermost first (a highlight may sit in others)
  function findingsAt(node) {
    var found = [];
    while (node && node.tagName !== "PRE") {
      if (node.tagName === "MARK" && node.dataset.i !== undefined && !hidden(node)) {
        var i = Number(node.dataset.i);
        if (found.indexOf(i) < 0) { found.push(i); }
      }
      node = node.parentElement;
    }
    return found;
  }

  function hidden(mark) {
    var rule = mark.dataset.rule || "";
    return document.body.classList.contains("hide-" + rule.charAt(0));
  }

  function fixText(fix) {
    if (!fix) { return "no fix: report only"; }
    return fix.applicability + " fix: " + fix.message;
  }

  function describe(i, full) {
    var d = load();
    var f = d.findings[i];
    var box = element("div", "finding f-" + f.family);
    var head = element("div");
    head.appendChild(element("span", "code", f.code + " "));
    head.appendChild(element("span", "rule", f.rule));
    box.appendChild(head);
    box.appendChild(element("div", "message", f.message));
    box.appendChild(element("div", "fix", fixText(f.fix)));
    if (!full) { return box; }
    var rule = d.rules[f.code];
    if (rule) { box.appendChild(element("div", "rule", rule.summary)); }
    var record = f.record ? "[" + f.record.line + (f.record.id !== null ? ":" + f.record.id : "") + "]" : "";
    box.appendChild(element("div", "where", f.filename + record + " " + place(f.location) + "\u2013" + place(f.end_location)));
    var text = flagged(i);
    if (text.length > 400) { text = text.slice(0, 400) + "\u2026"; }
    box.appendChild(element("div", "flagged", text || "(an empty place)"));
    if (f.fix && f.fix.edits.length) {
      var list = element("ul");
      f.fix.edits.forEach(function (edit) {
        var what = edit.content === "" ? "delete" : "\u2192 " + JSON.stringify(edit.content);
        list.appendChild(element("li", "", place(edit.location) + "\u2013" + place(edit.end_location) + " " + what));
      });
      box.appendChild(list);
    }
    return box;
  }

  function showTip(mark) {
    var found = findingsAt(mark);
    if (!found.length) { hideTip(); return; }
    tip.textContent = "";
    tip.appendChild(describe(found[0], false));
    if (found.length > 1) {
      tip.appendChild(element("div", "rule", "+" + (found.length - 1) + " more here: click"));
    }
    var box = mark.getBoundingClientRect();
    tip.hidden = false;
    var left = Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8);
    tip.style.left = Math.max(window.scrollX + 4, left) + "px";
    tip.style.top = (window.scrollY + box.bottom + 6) + "px";
  }

  function hideTip() { tip.hidden = true; }

  function pin(found) {
    active.forEach(function (mark) { mark.classList.remove("active"); });
    active = [];
    panelBody.textContent = "";
    if (!found.length) { panel.hidden = true; return; }
    found.forEach(function (i) {
      panelBody.appendChild(describe(i, true));
      var marks = document.querySelectorAll('mark[data-i="' + i + '"]');
      for (var k = 0; k < marks.length; k++) { marks[k].classList.add("active"); active.push(marks[k]); }
    });
    panel.hidden = false;
    panel.dataset.findings = found.join(" ");
  }

  document.addEventListener("mouseover", function (event) {
    var mark = event.target.closest ? event.target.closest("mark.hl") : null;
    if (mark) { showTip(mark); } else { hideTip(); }
  });
  document.addEventListener("click", function (event) {
    var mark = event.target.closest ? event.target.closest("mark.hl") : null;
    if (mark) { pin(findingsAt(mark)); }
  });
  document.getElementById("panel-close").addEventListener("click", function () { pin([]); });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") { pin([]); } });

  var boxes = document.querySelectorAll("nav.filters input[data-family]");
  for (var k = 0; k < boxes.length; k++) {
    boxes[k].addEventListener("change", function (event) {
      document.body.classList.toggle("hide-" + event.target.dataset.family, !event.target.checked);
    });
  }

  // #f-12 opens finding 12 (links from elsewhere, and the browser test)
  function fromHash() {
    var match = /^#f-(\d+)$/.exec(location.hash);
    if (!match) { return; }
    var mark = document.querySelector('mark[data-i="' + match[1] + '"]');
    if (!mark) { return; }
    mark.scrollIntoView({ block: "center" });
    pin(findingsAt(mark).indexOf(Number(match[1])) >= 0 ? findingsAt(mark) : [Number(match[1])]);
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();

  // when the page had loaded, and first painted (for bench/report_open.py)
  window.addEventListener("load", function () {
    document.body.dataset.loadMs = performance.now().toFixed(1);
    var paint = performance.getEntriesByName("first-contentful-paint")[0];
    if (paint) { document.body.dataset.paintMs = paint.startTime.toFixed(1); }
  });

  document.body.dataset.ready = "1";
  document.body.dataset.setupMs = (performance.now() - started).toFixed(1);
  document.body.dataset.readyMs = performance.now().toFixed(1);
})();
