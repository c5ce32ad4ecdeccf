"""Self-hosted GraphiQL page.

Strawberry's built-in GraphiQL page loads React, GraphiQL and the explorer plugin from
unpkg.com, which does not work on machines without internet access. This module renders an
equivalent page whose assets are served by the app itself from ``ocr_gateway/static/graphiql``
(see ``LICENSES.md`` there for provenance; the files are byte-identical to the ones Strawberry
0.341.2 pins with SRI hashes).

Usage::

    mount_graphiql_static(app, "/graphiql-static")
    html = render_graphiql_html(graphql_path="/graphql", static_url="/graphiql-static")

The page differs from Strawberry's in that it

* loads every asset from ``static_url`` (nothing from any other host);
* posts to ``graphql_path`` rather than to the page's own URL;
* prefills the Headers editor with ``{"X-API-Key": "..."}`` taken from ``?apiKey=...`` in the
  page URL (which is then removed from the address bar and remembered in localStorage) or
  from a key remembered earlier, and sends the same key as ``connectionParams`` of
  graphql-transport-ws subscriptions (browsers cannot set headers on WebSockets).
"""

from __future__ import annotations

import json
import os
from html import escape
from pathlib import Path
from typing import Final

from fastapi import FastAPI
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

__all__ = [
    "API_KEY_HEADER",
    "GRAPHIQL_ASSETS",
    "GRAPHIQL_STATIC_DIR",
    "mount_graphiql_static",
    "render_graphiql_html",
]

#: Directory holding the vendored GraphiQL assets.
GRAPHIQL_STATIC_DIR: Final[Path] = Path(__file__).resolve().parent.parent / "static" / "graphiql"

#: The vendored files the page loads. Names carry the package version, so a URL never changes
#: content and the files can be cached "forever".
GRAPHIQL_ASSETS: Final[dict[str, str]] = {
    "react_js": "react-18.2.0.production.min.js",
    "react_dom_js": "react-dom-18.2.0.production.min.js",
    "js_cookie_js": "js.cookie-3.0.5.min.js",
    "graphiql_js": "graphiql-3.8.3.min.js",
    "graphiql_css": "graphiql-3.8.3.min.css",
    "explorer_js": "graphiql-plugin-explorer-1.0.2.umd.js",
    "explorer_css": "graphiql-plugin-explorer-1.0.2.css",
}

API_KEY_HEADER: Final[str] = "X-API-Key"

_CACHE_CONTROL: Final[str] = "public, max-age=31536000, immutable"


class _ImmutableStaticFiles(StaticFiles):
    """``StaticFiles`` that marks responses as cacheable for a year (file names are versioned)."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = _CACHE_CONTROL
        return response


def mount_graphiql_static(app: FastAPI, static_url: str) -> None:
    """Serve the vendored GraphiQL assets under ``static_url`` (e.g. ``"/graphiql-static"``)."""
    path = "/" + static_url.strip("/")
    app.mount(
        path,
        _ImmutableStaticFiles(directory=GRAPHIQL_STATIC_DIR),
        name="graphiql-static",
    )


def _js(value: object) -> str:
    """JSON-encode ``value`` for embedding inside an inline ``<script>``."""
    return (
        json.dumps(value)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def render_graphiql_html(*, graphql_path: str, static_url: str) -> str:
    """Return the GraphiQL HTML page.

    ``graphql_path`` is the GraphQL endpoint (absolute path or URL relative to the page);
    ``static_url`` is where :func:`mount_graphiql_static` mounted the assets.
    """
    base = static_url.rstrip("/")
    urls = {name: escape(f"{base}/{file}", quote=True) for name, file in GRAPHIQL_ASSETS.items()}
    return (
        _TEMPLATE.replace("@@REACT_JS@@", urls["react_js"])
        .replace("@@REACT_DOM_JS@@", urls["react_dom_js"])
        .replace("@@JS_COOKIE_JS@@", urls["js_cookie_js"])
        .replace("@@GRAPHIQL_JS@@", urls["graphiql_js"])
        .replace("@@GRAPHIQL_CSS@@", urls["graphiql_css"])
        .replace("@@EXPLORER_JS@@", urls["explorer_js"])
        .replace("@@EXPLORER_CSS@@", urls["explorer_css"])
        .replace("@@GRAPHQL_PATH_JS@@", _js(graphql_path))
        .replace("@@API_KEY_HEADER_JS@@", _js(API_KEY_HEADER))
    )


# Adapted from strawberry/static/graphiql.html (strawberry-graphql 0.341.2, MIT).
# Placeholders are @@NAME@@ so that the JS/CSS braces need no escaping.
_TEMPLATE: Final[str] = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>OCR Invoice Gateway - GraphiQL</title>
    <!-- No favicon: avoids a /favicon.ico request. -->
    <link rel="icon" href="data:," />
    <style>
      body {
        height: 100%;
        margin: 0;
        width: 100%;
        overflow: hidden;
      }

      #graphiql {
        height: 100vh;
        display: flex;
      }

      .docExplorerHide {
        display: none;
      }

      .doc-explorer-contents {
        overflow-y: hidden !important;
      }

      .docExplorerWrap {
        width: unset !important;
        min-width: unset !important;
      }

      .graphiql-explorer-actions select {
        margin-left: 4px;
      }
    </style>

    <script src="@@REACT_JS@@"></script>
    <script src="@@REACT_DOM_JS@@"></script>
    <script src="@@JS_COOKIE_JS@@"></script>
    <link rel="stylesheet" href="@@GRAPHIQL_CSS@@" />
    <link rel="stylesheet" href="@@EXPLORER_CSS@@" />
  </head>

  <body>
    <div id="graphiql" class="graphiql-container">Loading...</div>
    <script src="@@GRAPHIQL_JS@@"></script>
    <script src="@@EXPLORER_JS@@"></script>
    <script>
      const GRAPHQL_PATH = @@GRAPHQL_PATH_JS@@;
      const API_KEY_HEADER = @@API_KEY_HEADER_JS@@;
      const API_KEY_STORAGE_KEY = "ocr-gateway:apiKey";

      const EXAMPLE_QUERY = `# Welcome to GraphiQL for the OCR Invoice Gateway
#
# GraphiQL is an in-browser tool for writing, validating, and
# testing GraphQL queries.
#
# Type queries into this side of the screen, and you will see intelligent
# typeaheads aware of the current GraphQL type schema and live syntax and
# validation errors highlighted within the text.
#
# Authentication: put your API key into the Headers tab below as
#
#     {"${API_KEY_HEADER}": "<your key>"}
#
# or open this page as ...?apiKey=<your key> (the key is then remembered
# in this browser and prefilled into the Headers tab).
#
# Keyboard shortcuts:
#
#       Run Query:  Ctrl-Enter (or press the play button above)
#
#   Auto Complete:  Ctrl-Space (or just start typing)
#
`;

      // Parse URL parameters for sharing queries
      const parameters = {};

      for (const entry of window.location.search.slice(1).split("&")) {
        const eq = entry.indexOf("=");
        if (eq >= 0) {
          parameters[decodeURIComponent(entry.slice(0, eq))] =
            decodeURIComponent(entry.slice(eq + 1));
        }
      }

      function updateURL(data) {
        Object.assign(parameters, data);

        const newSearch =
          "?" +
          Object.keys(parameters)
            .filter(function (key) {
              return Boolean(parameters[key]);
            })
            .map(function (key) {
              return (
                encodeURIComponent(key) +
                "=" +
                encodeURIComponent(parameters[key])
              );
            })
            .join("&");
        history.replaceState(null, null, newSearch);
      }

      // --- API key -------------------------------------------------------
      // The gateway expects an "X-API-Key" header. The key can come from
      // ?apiKey=... in the page URL (it is then stored in localStorage and
      // removed from the address bar, so it does not linger in history or
      // shared links) or from a key stored earlier. It is used to prefill the
      // Headers editor. NOTE: the user can always type (or change) it by hand
      // in the "Headers" tab below the query editor:
      //     {"X-API-Key": "<your key>"}
      // Editing the key there also updates the remembered key.
      function loadApiKey() {
        try {
          return window.localStorage.getItem(API_KEY_STORAGE_KEY);
        } catch (e) {
          return null;
        }
      }

      function saveApiKey(key) {
        try {
          if (key) {
            window.localStorage.setItem(API_KEY_STORAGE_KEY, key);
          } else {
            window.localStorage.removeItem(API_KEY_STORAGE_KEY);
          }
        } catch (e) {
          // localStorage unavailable (private mode, disabled storage): ignore.
        }
      }

      let apiKey = loadApiKey();
      if (Object.prototype.hasOwnProperty.call(parameters, "apiKey")) {
        apiKey = parameters.apiKey || null;
        saveApiKey(apiKey);
        delete parameters.apiKey;
        updateURL({});
      }

      function apiKeyHeadersJSON(key) {
        const headers = {};
        headers[API_KEY_HEADER] = key;
        return JSON.stringify(headers, null, 2);
      }

      // Keep the remembered key in sync with what is typed in the Headers tab.
      function rememberApiKeyFromHeaders(headersText) {
        let parsed;
        try {
          parsed = JSON.parse(headersText || "{}");
        } catch (e) {
          return; // half-typed JSON: keep the previous key
        }
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
          return;
        }
        let found = null;
        for (const name of Object.keys(parsed)) {
          if (
            name.toLowerCase() === API_KEY_HEADER.toLowerCase() &&
            typeof parsed[name] === "string"
          ) {
            found = parsed[name];
          }
        }
        apiKey = found;
        saveApiKey(found);
      }

      // --- Fetcher ---------------------------------------------------------
      const fetchURL = new URL(GRAPHQL_PATH, window.location.href).toString();

      function httpUrlToWebSocketUrl(url) {
        const parsedURL = new URL(url);
        parsedURL.protocol = parsedURL.protocol === "http:" ? "ws:" : "wss:";
        parsedURL.hash = "";
        return parsedURL.toString();
      }

      const defaultHeaders = {};
      const csrfToken = Cookies.get("csrftoken");

      if (csrfToken) {
        defaultHeaders["x-csrftoken"] = csrfToken;
      }

      const subscriptionUrl = httpUrlToWebSocketUrl(fetchURL);

      // GraphiQL.createFetcher is @graphiql/toolkit's createGraphiQLFetcher:
      // HTTP requests carry the Headers-tab headers; subscriptions use
      // graphql-transport-ws (graphql-ws), where browsers cannot set headers,
      // so the key is sent in the connection_init payload instead.
      const fetcher = GraphiQL.createFetcher({
        url: fetchURL,
        headers: defaultHeaders,
        subscriptionUrl,
        wsConnectionParams: function () {
          const params = {};
          if (apiKey) {
            params[API_KEY_HEADER] = apiKey;
          }
          return params;
        },
      });

      function GraphiQLWithExplorer() {
        const [query, setQuery] = React.useState(
          parameters.q || EXAMPLE_QUERY,
        );
        const [variables, setVariables] = React.useState(
          parameters.variables,
        );
        const [headers, setHeaders] = React.useState(
          parameters.headers || (apiKey ? apiKeyHeadersJSON(apiKey) : undefined),
        );

        function onEditQuery(newQuery) {
          setQuery(newQuery);
          updateURL({ q: newQuery });
        }

        function onEditVariables(newVariables) {
          setVariables(newVariables);
          updateURL({ variables: newVariables });
        }

        function onEditHeaders(newHeaders) {
          setHeaders(newHeaders);
          rememberApiKeyFromHeaders(newHeaders);
        }

        const explorerPlugin = GraphiQLPluginExplorer.explorerPlugin();

        return React.createElement(GraphiQL, {
          fetcher: fetcher,
          defaultEditorToolsVisibility: true,
          plugins: [explorerPlugin],
          query: query,
          variables: variables,
          headers: headers,
          // Used for new tabs.
          defaultHeaders: apiKey ? apiKeyHeadersJSON(apiKey) : undefined,
          onEditQuery: onEditQuery,
          onEditVariables: onEditVariables,
          onEditHeaders: onEditHeaders,
          inputValueDeprecation: true,
          isHeadersEditorEnabled: true,
          shouldPersistHeaders: true,
        });
      }

      const root = ReactDOM.createRoot(document.getElementById("graphiql"));
      root.render(React.createElement(GraphiQLWithExplorer));
    </script>
  </body>
</html>
"""
