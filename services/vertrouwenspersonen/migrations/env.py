from integriteit_shared.db.migrations import run_env
from vertrouwenspersonen.models import metadata

run_env(metadata)
