/* Web workers for pages opened from disk (file://), where browsers refuse `new Worker(url)`.
 *
 * mkdocs-material's search runs in a worker; its offline plugin would load a shim for this
 * from a public CDN, which breaks the promise that the offline copy makes no request to a
 * third party. This stand-in does the same job from the site's own files: the worker script
 * runs in a hidden same-origin iframe, and messages cross by events. It keeps the contract
 * Material's worker checks for (`IFrameWorker` on the parent window, a `script[src]` naming
 * the worker, `importScripts` returning a promise). Served pages are left alone.
 */
(function () {
  "use strict";

  if (window.location.protocol !== "file:" || window.IFrameWorker) {
    return;
  }

  function loadScript(doc, src) {
    return new Promise(function (resolve, reject) {
      var script = doc.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () {
        reject(new Error("could not load " + src));
      };
      (doc.head || doc.documentElement).appendChild(script);
    });
  }

  class IFrameWorker extends EventTarget {
    constructor(url) {
      super();
      var worker = this;
      var src = new URL(String(url), document.baseURI).href;
      this.onmessage = null;
      this.onerror = null;
      this.queue = [];
      this.ready = false;
      this.frame = document.createElement("iframe");
      this.frame.hidden = true;
      this.frame.tabIndex = -1;
      this.frame.setAttribute("aria-hidden", "true");
      this.frame.title = "Search worker";
      (document.body || document.documentElement).appendChild(this.frame);
      var win = this.frame.contentWindow;
      var doc = this.frame.contentDocument;
      // The worker's globals: postMessage answers the page; importScripts loads in order.
      win.postMessage = function (data) {
        window.setTimeout(function () {
          worker.emit(new MessageEvent("message", { data: data }));
        }, 0);
      };
      win.importScripts = function () {
        var urls = Array.prototype.slice.call(arguments);
        return urls.reduce(function (done, each) {
          return done.then(function () {
            return loadScript(doc, new URL(each, src).href);
          });
        }, Promise.resolve());
      };
      loadScript(doc, src).then(
        function () {
          worker.ready = true;
          worker.queue.splice(0).forEach(worker.deliver, worker);
        },
        function (err) {
          worker.emit(new ErrorEvent("error", { message: err.message }));
        }
      );
    }

    emit(event) {
      var handler = event.type === "message" ? this.onmessage : this.onerror;
      if (typeof handler === "function") {
        handler.call(this, event);
      }
      this.dispatchEvent(event);
    }

    deliver(data) {
      var win = this.frame.contentWindow;
      if (win) {
        win.dispatchEvent(new win.MessageEvent("message", { data: data }));
      }
    }

    postMessage(data) {
      var worker = this;
      if (!this.ready) {
        this.queue.push(data);
        return;
      }
      window.setTimeout(function () {
        worker.deliver(data);
      }, 0);
    }

    terminate() {
      if (this.frame.parentNode) {
        this.frame.parentNode.removeChild(this.frame);
      }
    }
  }

  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();
