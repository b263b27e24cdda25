"""Valid payloads and created rows for every model.

Rows take their values from one shared sequence, so that unique fields never collide.
"""

import itertools

sequence = itertools.count(1)
