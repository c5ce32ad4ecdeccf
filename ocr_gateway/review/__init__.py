"""The review page: accounts-payable staff check the fields extraction is unsure of on the
page images they came from, and correct them.

    GET    /review                          the page (HTML; JS and CSS under /review/static/)
    POST   /review/session                  X-API-Key header -> an HttpOnly cookie for images
    DELETE /review/session                  forget that cookie
    GET    /review/pages/{pageId}/image     the page's image (``review.pages``)

The page itself talks to the public GraphQL API only (``fetch`` to the GraphQL path with
the X-API-Key header, subscriptions over graphql-transport-ws with the key in
``connection_init``), like GraphiQL. An ``<img>`` cannot send a header, so the page, once
the key is entered, posts it to ``/review/session``: the key is checked (it needs the
``read`` scope) and set as an HttpOnly, SameSite=Strict cookie whose path is the images'
(``/review/pages``), sent nowhere else. The image route takes the header or that cookie.
"""

from ocr_gateway.review.routes import install_review

__all__ = ["install_review"]
