from integriteit_shared.db.migrations import run_env
from rapportage.models import metadata

run_env(metadata)
