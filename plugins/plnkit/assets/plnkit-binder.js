/* PLN Kit binder: progressive enhancement of the server-rendered cards of a tab page.
 *
 * Without this script every card is visible and linked. With it, each binder becomes an ARIA
 * tabs widget (https://www.w3.org/WAI/ARIA/apg/patterns/tabs/): one sub-tab per resource,
 * roving tabindex, arrow/Home/End keys, automatic activation. The selected card is the tab
 * panel; a live preview (sandboxed iframe) is created only while its tab is selected. Filters
 * by stage, kind, tag and cost hide sub-tabs and cards; the query string mirrors them and the
 * hash names the selected resource, so both can be bookmarked and shared.
 */
(function () {
  "use strict";

  var FILTER_FIELDS = { stage: "stages", kind: "kind", tag: "tags", cost: "cost" };
  var SANDBOX = "allow-scripts allow-same-origin allow-forms allow-popups";

  function words(text) {
    return (text || "").split(/\s+/).filter(Boolean);
  }

  function hashTarget() {
    var id = "";
    try {
      id = decodeURIComponent(window.location.hash.slice(1));
    } catch (err) {
      return null;
    }
    return id ? document.getElementById(id) : null;
  }

  function replaceUrl(search, hash) {
    var url = window.location.pathname + (search ? "?" + search : "") + (hash || "");
    window.history.replaceState(window.history.state, "", url);
  }

  function Binder(root) {
    this.root = root;
    this.cards = Array.prototype.slice.call(root.querySelectorAll(".plnkit-card"));
    this.form = root.querySelector(".plnkit-filters");
    this.count = root.querySelector(".plnkit-filters__count");
    this.empty = root.querySelector(".plnkit-binder__empty");
    this.tabs = [];
    this.selected = null;
  }

  Binder.prototype.build = function () {
    var body = this.root.querySelector(".plnkit-binder__body");
    var list = document.createElement("div");
    list.className = "plnkit-subtabs";
    list.setAttribute("role", "tablist");
    list.setAttribute("aria-label", this.root.getAttribute("data-label") || "Resources");
    list.setAttribute("aria-orientation", "vertical");
    this.cards.forEach(function (card) {
      var tab = document.createElement("button");
      var name = document.createElement("span");
      var kind = document.createElement("span");
      var heading = card.querySelector(".plnkit-card__name");
      tab.type = "button";
      tab.id = "tab--" + card.id;
      tab.className = "plnkit-subtab";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", card.id);
      tab.setAttribute("aria-selected", "false");
      tab.tabIndex = -1;
      name.className = "plnkit-subtab__name";
      name.textContent = heading ? heading.textContent.trim() : card.id;
      kind.className = "plnkit-subtab__kind";
      kind.textContent = card.getAttribute("data-label") || "";
      if (card.getAttribute("data-status") !== "active") {
        kind.textContent +=
          " · " + (card.getAttribute("data-status-label") || card.getAttribute("data-status"));
      }
      tab.appendChild(name);
      tab.appendChild(kind);
      list.appendChild(tab);
      card.setAttribute("role", "tabpanel");
      card.setAttribute("aria-labelledby", tab.id);
      card.tabIndex = 0;
      card.hidden = true;
      this.tabs.push(tab);
    }, this);
    body.insertBefore(list, body.firstChild);
    this.list = list;
    this.root.classList.add("is-enhanced");
    list.addEventListener("click", this.onClick.bind(this));
    list.addEventListener("keydown", this.onKey.bind(this));
  };

  Binder.prototype.visibleTabs = function () {
    return this.tabs.filter(function (tab) {
      return !tab.hidden;
    });
  };

  Binder.prototype.cardFor = function (tab) {
    return this.cards[this.tabs.indexOf(tab)];
  };

  Binder.prototype.select = function (card, options) {
    options = options || {};
    this.selected = card;
    this.cards.forEach(function (each, index) {
      var on = each === card;
      var tab = this.tabs[index];
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      each.hidden = !on;
      if (on) {
        showPreview(each);
      } else {
        hidePreview(each);
      }
    }, this);
    if (!card) {
      return;
    }
    var tab = this.tabs[this.cards.indexOf(card)];
    if (options.focus) {
      tab.focus();
    }
    if (options.updateHash) {
      replaceUrl(window.location.search.slice(1), "#" + card.id);
    }
  };

  Binder.prototype.onClick = function (event) {
    var tab = event.target.closest('[role="tab"]');
    if (tab) {
      this.select(this.cardFor(tab), { updateHash: true });
    }
  };

  Binder.prototype.onKey = function (event) {
    var tabs = this.visibleTabs();
    var index = tabs.indexOf(event.target.closest('[role="tab"]'));
    var next = null;
    if (index < 0 || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    switch (event.key) {
      case "ArrowDown":
      case "ArrowRight":
        next = tabs[(index + 1) % tabs.length];
        break;
      case "ArrowUp":
      case "ArrowLeft":
        next = tabs[(index - 1 + tabs.length) % tabs.length];
        break;
      case "Home":
        next = tabs[0];
        break;
      case "End":
        next = tabs[tabs.length - 1];
        break;
      default:
        return;
    }
    event.preventDefault();
    this.select(this.cardFor(next), { focus: true, updateHash: true });
  };

  Binder.prototype.filters = function () {
    var chosen = {};
    if (!this.form) {
      return chosen;
    }
    Array.prototype.forEach.call(this.form.querySelectorAll("select[data-filter]"), function (el) {
      if (el.value) {
        chosen[el.getAttribute("data-filter")] = el.value;
      }
    });
    return chosen;
  };

  Binder.prototype.matches = function (card, chosen) {
    return Object.keys(chosen).every(function (key) {
      return words(card.getAttribute("data-" + FILTER_FIELDS[key])).indexOf(chosen[key]) >= 0;
    });
  };

  /* Show only matching resources; keep a matching selection, else select the first match. */
  Binder.prototype.apply = function (options) {
    options = options || {};
    var chosen = this.filters();
    var shown = 0;
    this.cards.forEach(function (card, index) {
      var match = this.matches(card, chosen);
      this.tabs[index].hidden = !match;
      card.classList.toggle("is-filtered-out", !match);
      shown += match ? 1 : 0;
    }, this);
    var total = this.cards.length;
    if (this.count) {
      // The words come from the page (rendered in the site's language), numbers filled in here.
      var words =
        shown === total
          ? this.root.getAttribute("data-count-all") || "Showing all {total} resources"
          : this.root.getAttribute("data-count-some") || "Showing {shown} of {total}";
      this.count.textContent = words.replace("{shown}", shown).replace("{total}", total);
    }
    this.empty.hidden = shown > 0;
    this.list.hidden = shown === 0;
    if (!this.selected || !this.matches(this.selected, chosen)) {
      var first = this.visibleTabs()[0];
      this.select(first ? this.cardFor(first) : null, { updateHash: options.updateUrl && !!first });
    }
    if (options.updateUrl) {
      this.writeQuery(chosen);
    }
  };

  Binder.prototype.writeQuery = function (chosen) {
    var params = new URLSearchParams(window.location.search);
    Object.keys(FILTER_FIELDS).forEach(function (key) {
      if (chosen[key]) {
        params.set(key, chosen[key]);
      } else {
        params.delete(key);
      }
    });
    replaceUrl(params.toString(), window.location.hash);
    keepQuery();
  };

  Binder.prototype.readQuery = function () {
    if (!this.form) {
      return;
    }
    var params = new URLSearchParams(window.location.search);
    Array.prototype.forEach.call(this.form.querySelectorAll("select[data-filter]"), function (el) {
      var wanted = params.get(el.getAttribute("data-filter"));
      var known = Array.prototype.some.call(el.options, function (option) {
        return option.value === wanted;
      });
      el.value = wanted && known ? wanted : "";
    });
  };

  Binder.prototype.clear = function () {
    if (this.form) {
      this.form.reset();
    }
    this.apply({ updateUrl: true });
  };

  /* Select the resource the URL's hash names (a card or anything inside one). */
  Binder.prototype.followHash = function (scroll) {
    var target = hashTarget();
    var card = target && target.closest(".plnkit-card");
    if (!card || this.cards.indexOf(card) < 0) {
      return false;
    }
    if (this.form && !this.matches(card, this.filters())) {
      this.form.reset();
      this.apply({ updateUrl: true });
    }
    this.select(card, { updateHash: target !== card });
    if (scroll) {
      this.root.scrollIntoView({ block: "start" });
    }
    return true;
  };

  Binder.prototype.start = function () {
    this.build();
    this.readQuery();
    this.apply({ updateUrl: false });
    this.followHash(true);
    if (this.form) {
      this.form.hidden = false;
      // Open on wide screens, or when the URL already filters; a tap away on phones.
      var details = this.form.querySelector("details");
      if (details && (window.matchMedia("(min-width: 45em)").matches ||
                      Object.keys(this.filters()).length)) {
        details.open = true;
      }
      this.form.addEventListener("change", this.apply.bind(this, { updateUrl: true }));
      this.form.addEventListener("submit", function (event) {
        event.preventDefault();
      });
      this.form.addEventListener("reset", function () {
        window.setTimeout(this.apply.bind(this, { updateUrl: true }), 0);
      }.bind(this));
    }
    this.empty.querySelector("button").addEventListener("click", this.clear.bind(this));
    window.addEventListener("hashchange", this.followHash.bind(this, true));
  };

  /* Phones and readers who ask to save data get a "Show preview" button, not a loaded page. */
  function previewOnRequest() {
    var connection = navigator.connection || {};
    return Boolean(
      connection.saveData ||
        window.matchMedia("(max-width: 44.9375em)").matches ||
        window.matchMedia("(prefers-reduced-data: reduce)").matches
    );
  }

  function loadFrame(holder) {
    var button = holder.querySelector(".plnkit-preview__show");
    if (button) {
      button.hidden = true;
    }
    if (holder.querySelector("iframe")) {
      return;
    }
    var frame = document.createElement("iframe");
    frame.className = "plnkit-preview__frame";
    frame.title = holder.getAttribute("data-preview-title") || "Live preview";
    frame.setAttribute("sandbox", SANDBOX);
    frame.setAttribute("loading", "lazy");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    frame.src = holder.getAttribute("data-preview-src");
    holder.appendChild(frame);
  }

  function showPreview(card) {
    var holder = card.querySelector(".plnkit-preview[data-preview-src]");
    if (!holder || holder.querySelector("iframe")) {
      return;
    }
    holder.hidden = false;
    var button = holder.querySelector(".plnkit-preview__show");
    if (button && previewOnRequest()) {
      if (!button.getAttribute("data-ready")) {
        button.setAttribute("data-ready", "true");
        button.addEventListener("click", function () {
          loadFrame(holder);
        });
      }
      button.hidden = false;
      return;
    }
    loadFrame(holder);
  }

  function hidePreview(card) {
    var holder = card.querySelector(".plnkit-preview");
    var frame = holder && holder.querySelector("iframe");
    if (frame) {
      holder.removeChild(frame);
    }
    if (holder) {
      holder.hidden = true;
    }
  }

  /* A split tab (plnkit/render/paging.py): a link naming a card that lives on another page of
   * the tab is sent on to that page, by the page map its pager carries (in the page, or the
   * tab's pages.json for a very large tab). */
  function followPageMap() {
    var pager = document.querySelector(".plnkit-pager[data-page-base]");
    var slug = "";
    try {
      slug = decodeURIComponent(window.location.hash.slice(1));
    } catch (err) {
      return;
    }
    if (!pager || !slug || document.getElementById(slug)) {
      return;
    }
    function go(map) {
      var index = map && map.slugs ? map.slugs[slug] : undefined;
      if (typeof index !== "number" || typeof map.pages[index] !== "string") {
        return;
      }
      var file = /\.html$/.test(window.location.pathname) ? "index.html" : "";
      var url = new URL(pager.getAttribute("data-page-base") + map.pages[index] + file,
                        window.location.href);
      url.search = window.location.search;
      url.hash = window.location.hash;
      if (url.href !== window.location.href) {
        window.location.replace(url.href);
      }
    }
    var inline = pager.getAttribute("data-page-map");
    if (inline) {
      try {
        go(JSON.parse(inline));
      } catch (err) {
        return;
      }
      return;
    }
    var src = pager.getAttribute("data-page-map-src");
    if (src && window.fetch) {
      window.fetch(new URL(src, window.location.href).href)
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(go)
        .catch(function () { return null; });
    }
  }

  /* Links marked data-keep-query (a split tab's pager, the whole-kit guide's tabs) carry the
   * page's filters along, so a reader filtering by stage keeps the filter from page to page. */
  function keepQuery() {
    var here = new URLSearchParams(window.location.search);
    Array.prototype.forEach.call(document.querySelectorAll("a[data-keep-query]"), function (a) {
      if (!a.hasAttribute("data-href")) {
        a.setAttribute("data-href", a.getAttribute("href"));
      }
      var url = new URL(a.getAttribute("data-href"), window.location.href);
      Object.keys(FILTER_FIELDS).forEach(function (key) {
        if (here.get(key)) {
          url.searchParams.set(key, here.get(key));
        }
      });
      a.setAttribute("href", url.href);
    });
  }

  /* The whole-kit guide of a large kit (plnkit/render/whole_kit.py), reached by an address
   * that filters by a stage (Start here's "…and N more"): show that stage's part first. */
  function showChosenStage() {
    var stage = new URLSearchParams(window.location.search).get("stage");
    if (!stage || window.location.hash) {
      return;
    }
    var part = Array.prototype.filter.call(
      document.querySelectorAll(".plnkit-whole-kit__stage[data-stage]"),
      function (each) { return each.getAttribute("data-stage") === stage; }
    )[0];
    if (part && !part.classList.contains("is-chosen")) {
      part.classList.add("is-chosen");
      part.scrollIntoView({ block: "start" });
    }
  }

  function enhance() {
    followPageMap();
    keepQuery();
    showChosenStage();
    Array.prototype.forEach.call(document.querySelectorAll(".plnkit-binder"), function (root) {
      if (root.getAttribute("data-enhanced") || !root.querySelector(".plnkit-card")) {
        return;
      }
      root.setAttribute("data-enhanced", "true");
      new Binder(root).start();
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-plnkit-print]"), function (btn) {
      if (btn.getAttribute("data-ready")) {
        return;
      }
      btn.setAttribute("data-ready", "true");
      btn.parentNode.hidden = false;
      btn.addEventListener("click", function () {
        window.print();
      });
    });
  }

  window.addEventListener("hashchange", followPageMap);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(enhance);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
