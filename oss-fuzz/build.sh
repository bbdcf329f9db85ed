#!/bin/bash -eu
# The repository's own build script, shared with ClusterFuzzLite.
exec "$SRC/mqtt-wire/.clusterfuzzlite/build.sh"
