"""Names only a framework reads, for vulture (`make deadcode`; see [tool.vulture]).

Started from `vulture --make-whitelist` and kept to names a library reads by name; vulture
parses this file and never runs it (`_` stands for any object). Code that nothing calls
does not belong here: delete it instead.
"""

# pydantic: the model's configuration, and schema fields filled by keyword and read when
# FastAPI serialises a response or documents it in the OpenAPI document
_.model_config
_.aantal_vorig_jaar
_.advies_datum
_.afdoening_datum
_.afgerond
_.afronding_datum
_.behandeld_door_cog
_.benadeling_gemeld
_.controle_begonnen_op
_.dagen_resterend
_.eerste_foute_id
_.email
_.gecontroleerd
_.gestart_en_afgerond_in_jaar
_.gestart_in_jaar_doorlopend
_.gestart_voor_jaar_afgerond_in_jaar
_.heeft_notitie
_.in_behandeling_genomen
_.ingediend
_.klachten_binnen_termijn_procent
_.laatste_volgnummer
_.mediaan_dagen_klacht
_.informele_gesprekken
_.benadeling_procent
_.bevestiging_tot_terugkoppeling
_.doorverwijzingen
_.klacht_ontvangst_tot_afhandeling
_.klacht_oordeel
_.klacht_wijze
_.onderzoek_start_tot_einde
_.ontvangst_tot_afronding
_.ontvangst_tot_bevestiging
_.mediaan_dagen_tot_afronding
_.melder_bekend
_.negatief_advies
_.ongelezen_berichten
_.ontvangstbevestiging_binnen7_dagen_procent
_.oudste_dagen
_.over_termijn
_.per_bron_en_type
_.per_defensieonderdeel
_.per_hoofdcategorie
_.per_leeftijd
_.positief_advies
_.rechtspositionele_onderzoeken_afgerond
_.rechtspositionele_onderzoeken_gestart
_.telefoon
_.terugkoppeling_binnen3_maanden_procent
_.uitgevoerd
_.vastgestelde_schendingen_bps
_.vergelijkingsdatum
_.vermoeden_datum

# SQLAlchemy: columns written (or filled by the database) and read back by SQL only, the
# hooks of a TypeDecorator and of the declarative base; sqlite3's connection setting
_.aangemaakt_op
_.aggregate_id
_.misstand_vastgesteld
_.misstand_vermoeden_datum
_.received_at
_.updated_at
_.verdaagd_op
_.impl
_.cache_ok
_.process_bind_param
_.process_result_value
_.type_annotation_map
_.isolation_level

# Starlette: the router setting; FastAPI: a header declared by its parameter name (a test)
_.redirect_slashes
_.x_iets

# importlib.metadata: the objects the packages' entry points name (their pyproject.toml)
_.SERVICE
_.RUN
_.DEMO
_.DLQ_HERVERWERKEN
_.BOOTSTRAP
_.MAIL

# alembic: the module names it reads from each migration
_.down_revision
_.branch_labels
_.depends_on
_.downgrade

# pytest and schemathesis: module marks and fixtures found by name; http.server's handler
_.pytestmark
_.meldpunt_schema
_.vertrouwenspersonen_schema
_.klachten_schema
_.rapportage_schema
_.do_GET
_.log_message

# the audit verification's result, printed by `integriteit audit-verify` through asdict()
_.last_volgnummer
_.anchor_volgnummer

# the historical import's answer and its rows in /afstemming (response fields)
_.door
_.vroegste
_.laatste
_.dubbel
_.historische_imports

# pydantic-settings: the retention periods, read by name from each rule's `instelling`
# (integriteit_shared.bewaartermijnen.periode)
_.bewaartermijn_berichten_dagen
_.bewaartermijn_bijlagen_dagen
_.bewaartermijn_mailadressen_dagen
_.bewaartermijn_casusnotities_dagen
_.bewaartermijn_klachten_dagen
_.bewaartermijn_meldingen_dagen
_.bewaartermijn_nevenwerkzaamheden_dagen
_.bewaartermijn_notities_dagen
_.bewaartermijn_volgcodes_dagen
_.bewaartermijn_volgsessies_dagen
