"""Unusual-activity alerts delivered to the customer.

:class:`~service.alerts.detection.AlertDetector` scores each transaction booked since its
watermark against the customer's own baseline (``insights.anomalies``) and stores an alert at
or above the threshold; :class:`~service.alerts.delivery.AlertDelivery` puts it into the
customer's open conversation; the app's inbox (``/v1/inbox``) lists alerts and takes the
customer's answer, "this was me" or "this wasn't me" (cards frozen, fraud colleague asked).
"""
