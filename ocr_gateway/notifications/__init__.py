"""Group notifications: a webhook per job group, fed by a durable outbox.

models.py    the ``webhook_deliveries`` table (the outbox and the delivery log)
webhook.py   the notifications format, recording events, delivering them (start here)
outbox.py    the outbox's statements: insert, claim due deliveries, record outcomes
sender.py    one signed POST, under the same address rules as image fetching
graphql.py   the delivery log as GraphQL (``JobGroup.notificationDeliveries``)
"""
