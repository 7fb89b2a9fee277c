from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import Topic


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name", "description"]


def _topic_field(*, allow_empty: bool) -> serializers.ManyRelatedField:
    return serializers.ManyRelatedField(
        child_relation=serializers.SlugRelatedField(
            slug_field="slug", queryset=Topic.objects.all()
        ),
        allow_empty=allow_empty,
        label=_("Themen"),
        help_text=_("Kurznamen der Themen, z. B. strassenbau"),  # type: ignore[arg-type]
    )


class SubscribeRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(label=_("E-Mail-Adresse"))
    topics = _topic_field(allow_empty=False)


class SubscriptionSerializer(serializers.Serializer):
    topics = _topic_field(allow_empty=True)
    receiving = serializers.BooleanField(
        read_only=True, help_text=_("Ob E-Mails zu diesen Themen verschickt werden")
    )


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class RateLimitedSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="rate_limited")
    detail = serializers.CharField()
