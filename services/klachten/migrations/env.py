from integriteit_shared.db.migrations import run_env
from klachten.models import metadata

run_env(metadata)
