from integriteit_shared.db.migrations import run_env
from meldpunt.models import metadata

run_env(metadata)
