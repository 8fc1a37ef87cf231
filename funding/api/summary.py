"""On the applications' API: the weighted score blanked for a reader who still reviews
blind, and ``fund-applications/{id}/review-summary/``, the reviews side by side for the
decider. Kept apart from ``reviews`` so that ``views`` can mix it in."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.response import Response

from funding import services
from funding.models import FundApplication, Review
from portal import access


class SpreadFigures(serializers.Serializer):
    mean = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    low = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    high = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    deviation = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)


class CriterionSummarySerializer(SpreadFigures):
    criterion = serializers.IntegerField()
    name = serializers.CharField()
    max_score = serializers.IntegerField()
    weight_share = serializers.DecimalField(
        max_digits=5, decimal_places=1, help_text="Its weight as a percentage of the total."
    )
    scores = serializers.ListField(
        child=serializers.IntegerField(allow_null=True),
        help_text="Each review's score, in the order of `reviews`.",
    )


class SummaryReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reviewer = serializers.CharField()
    recommendation = serializers.CharField()
    weighted_score = serializers.DecimalField(max_digits=7, decimal_places=2)
    version = serializers.IntegerField(help_text="The application's version it was made on.")
    comment = serializers.CharField()


class ReviewSummarySerializer(serializers.Serializer):
    reviews = SummaryReviewSerializer(many=True)
    criteria = CriterionSummarySerializer(many=True)
    weighted_score = SpreadFigures()
    recommendations = serializers.DictField(child=serializers.IntegerField())
    reviews_done = serializers.IntegerField()
    reviews_needed = serializers.IntegerField()
    rank = serializers.IntegerField(
        allow_null=True, help_text="Its place by weighted score among the program's scored ones."
    )
    ranked = serializers.IntegerField()
    budget_remaining = serializers.DecimalField(max_digits=14, decimal_places=2)
    current_version = serializers.IntegerField()


def _figures(spread) -> dict:
    return {
        "mean": spread.mean,
        "low": spread.low,
        "high": spread.high,
        "deviation": spread.deviation,
    }


class VisibleScoreOrdering(OrderingFilter):
    """``?ordering=weighted_score`` sorts by the score the reader may see: a blind
    reviewer's order gives away no hidden score."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering:
            return ordering
        return [term.replace("weighted_score", "visible_score") for term in ordering]


class ReviewedApplicationMixin:
    """For the applications' viewset: the weighted score blanked where the reader still
    reviews blind (``rules.with_scores_visible``), and the decider's review summary."""

    filter_backends = [DjangoFilterBackend, SearchFilter, VisibleScoreOrdering]

    def get_queryset(self):
        return services.with_visible_score(super().get_queryset(), self.request.user)

    @extend_schema(
        request=None,
        responses={200: ReviewSummarySerializer, 403: OpenApiResponse(description="Not yours")},
    )
    @action(detail=True, methods=["get"], url_path="review-summary", filter_backends=[])
    def review_summary(self, request, pk=None):
        """The reviews side by side for whoever reads them all (the deciders; everyone
        in government once decided): per criterion each score, the mean, the range and
        the standard deviation; the recommendations counted; its place in the program;
        the budget remaining."""
        application = self.get_object()
        if not access.sees_everything(request.user) or not application.scores_visible:
            raise PermissionDenied
        application = FundApplication.objects.select_related("program").get(pk=application.pk)
        reviews = list(
            services.reviews_visible_to(
                request.user, Review.objects.filter(application=application)
            )
            .select_related("reviewer")
            .prefetch_related("scores")
            .order_by("created_at", "pk")
        )
        summary = services.review_summary(application, reviews)
        body = {
            "reviews": [
                {
                    "id": review.pk,
                    "reviewer": review.reviewer.username,
                    "recommendation": review.recommendation,
                    "weighted_score": review.weighted_score,
                    "version": review.version,
                    "comment": review.comment,
                }
                for review in reviews
            ],
            "criteria": [
                {
                    "criterion": row.criterion.pk,
                    "name": row.criterion.name,
                    "max_score": row.criterion.max_score,
                    "weight_share": row.weight_share,
                    "scores": row.spread.values,
                    **_figures(row.spread),
                }
                for row in summary.criteria
            ],
            "weighted_score": _figures(summary.weighted),
            "recommendations": {value: count for value, _label, count in summary.recommendations},
            "reviews_done": len(reviews),
            "reviews_needed": summary.reviews_needed,
            "rank": summary.rank,
            "ranked": summary.ranked,
            "budget_remaining": summary.budget_remaining,
            "current_version": summary.current_version,
        }
        return Response(ReviewSummarySerializer(body).data)
