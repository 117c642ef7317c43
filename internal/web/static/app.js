// Small behaviours of the console that need no server round trip. The page
// security policy forbids inline scripts, so they live here.
document.addEventListener("click", function (ev) {
  // Remove a data item row of the catalog compile form. The focus, which
  // was on the removed button, goes to the name of the row that took its
  // place (or of the row above, or to 添加信息项 when none is left), not
  // back to the top of the page. 删除 is a submit button, which without
  // scripts posts the form for the server to show it again without the
  // row; here the row goes without a round trip.
  var btn = ev.target.closest(".remove-item");
  if (btn) {
    ev.preventDefault();
    var row = btn.closest("tr");
    var next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    var to = next ? next.querySelector(".item-name") : document.getElementById("add-item");
    if (to) {
      to.focus();
    }
  }
});

// A row added by 添加信息项 (htmx, into #item-rows) takes the focus in its
// name box, where the keyboard goes on.
document.addEventListener("htmx:afterSettle", function (ev) {
  var rows = ev.detail.target;
  if (rows && rows.id === "item-rows" && rows.lastElementChild) {
    var name = rows.lastElementChild.querySelector(".item-name");
    if (name) {
      name.focus();
    }
  }
});

// The live search of the catalog pages runs on "search-input" from the
// search box #q (hx-trigger), which this sends on each input event except
// while an input method composes: typing pinyin, "huji" is not the search
// but 户籍, which the composition's end gives.
function searchInput(ev) {
  if (ev.target.id === "q" && ev.target.type === "search") {
    ev.target.dispatchEvent(new Event("search-input"));
  }
}
document.addEventListener("input", function (ev) {
  if (!ev.isComposing) {
    searchInput(ev);
  }
});
document.addEventListener("compositionend", searchInput);

// The catalog import form (data-import-progress) is sent with
// XMLHttpRequest, so that the page can show the upload's progress and then
// the import's: the server answers a request that accepts
// application/x-ndjson with JSON lines, {"done":300,"total":5000} as rows
// are stored, then {"status":200,"html":"…"}, the report to show in
// #import-result; a result of 503 also carries "retry_after", the seconds
// after which to try again, which the label says. Without this script the form posts as usual, and so does
// it when the full report is asked for (report=csv): the answer is a file
// to download.
document.addEventListener("submit", function (ev) {
  var form = ev.target;
  if (!form.matches("form[data-import-progress]") || !window.FormData) {
    return;
  }
  var full = form.querySelector("input[name=report]");
  if (full && full.checked) {
    return;
  }
  ev.preventDefault();
  importWithProgress(form);
});

function importWithProgress(form) {
  var box = document.getElementById("import-progress");
  var bar = document.getElementById("import-bar");
  var label = document.getElementById("import-status");
  var result = document.getElementById("import-result");
  var button = form.querySelector("button[type=submit]");
  var xhr = new XMLHttpRequest();
  var read = 0; // characters of the answer handled
  var finished = false;

  function show(text, done, total) {
    box.hidden = false;
    label.textContent = text;
    if (total > 0) {
      bar.max = total;
      bar.value = done;
    } else {
      bar.removeAttribute("value"); // indeterminate
    }
  }
  function streamed() {
    return (xhr.getResponseHeader("Content-Type") || "").indexOf("application/x-ndjson") === 0;
  }
  function handle(msg) {
    if (msg.total !== undefined) {
      show("正在导入 " + msg.done + " / " + msg.total + " 条", msg.done, msg.total);
      return;
    }
    finished = true;
    if (msg.html !== undefined) {
      result.innerHTML = msg.html;
    } else {
      var p = document.createElement("p");
      p.className = "alert";
      p.setAttribute("role", "alert");
      p.textContent = msg.error;
      result.replaceChildren(p);
    }
    if (msg.status === 503) {
      label.textContent = unavailable(msg.code, msg.retry_after);
    } else {
      label.textContent = msg.status < 400 ? "已完成" : "未导入，请查看下方说明";
    }
    result.scrollIntoView({ block: "start" });
  }
  // unavailable says why the server could not import for now (503: its
  // temporary directory full, the result line's code temp_space_full;
  // else the database or the audit log busy or unavailable) and when to
  // try again: after the result line's retry_after, or the answer's
  // Retry-After.
  function unavailable(code, seconds) {
    var after = seconds || parseInt(xhr.getResponseHeader("Retry-After"), 10);
    var cause = code === "temp_space_full" ? "服务器临时空间不足" : "服务器繁忙";
    return cause + "，未导入：请" + (after > 0 ? "在 " + after + " 秒后" : "稍后") + "重试（原因见下方说明）";
  }
  function lines() {
    var text = xhr.responseText;
    var end;
    while ((end = text.indexOf("\n", read)) >= 0) {
      var line = text.slice(read, end).trim();
      read = end + 1;
      if (line !== "") {
        handle(JSON.parse(line));
      }
    }
  }
  function done() {
    button.disabled = false;
  }

  xhr.upload.addEventListener("progress", function (e) {
    if (e.lengthComputable) {
      show("正在上传… " + Math.floor((e.loaded * 100) / e.total) + "%", e.loaded, e.total);
    } else {
      show("正在上传…", 0, 0);
    }
  });
  xhr.upload.addEventListener("load", function () {
    show("正在读取文件…", 0, 0);
  });
  xhr.addEventListener("progress", function () {
    if (streamed()) {
      lines();
    }
  });
  xhr.addEventListener("load", function () {
    done();
    if (!streamed()) {
      // Not the import's answer (the session ended, the form was refused):
      // show the page the server sent instead of this one's main part.
      var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var main = page.getElementById("main");
      if (main) {
        document.title = page.title;
        document.getElementById("main").replaceWith(document.adoptNode(main));
      }
      return;
    }
    lines();
    if (!finished) {
      show("导入中断，请重试", 0, 1);
    }
  });
  xhr.addEventListener("error", function () {
    done();
    show("上传失败：网络连接中断，请重试", 0, 1);
  });

  xhr.open("POST", form.action);
  xhr.setRequestHeader("Accept", "application/x-ndjson");
  // The CSRF token goes in its header too, so that the import, not the
  // CSRF check, reads the form: a failure to read it (the server's
  // temporary directory full) comes back as the import's result line.
  var token = form.querySelector("input[name=csrf_token]");
  if (token) {
    xhr.setRequestHeader("X-CSRF-Token", token.value);
  }
  button.disabled = true;
  show("正在上传…", 0, 0);
  xhr.send(new FormData(form));
}

// A form posted is sent once: once it is on its way its submit buttons are
// disabled, so that a second click on a slow link does not send it again
// (the server answers a create form sent again with what the first made:
// createForms). They are disabled after the browser has read the button
// clicked, whose name and value a disabled button would not send, and
// enabled again on a page come back to (Back, the back-forward cache). The
// catalog import form handles its own button (importWithProgress), and a
// form a script kept from being sent (htmx, a confirmation) stays usable.
document.addEventListener("submit", function (ev) {
  var form = ev.target;
  if (ev.defaultPrevented || form.method !== "post" || form.matches("[data-import-progress]")) {
    return;
  }
  setTimeout(function () {
    Array.prototype.forEach.call(form.elements, function (b) {
      if (b.type === "submit" && !b.disabled) {
        b.disabled = true;
        b.setAttribute("data-sent", "");
      }
    });
  }, 0);
});
window.addEventListener("pageshow", function () {
  document.querySelectorAll("[data-sent]").forEach(function (b) {
    b.disabled = false;
    b.removeAttribute("data-sent");
  });
});
