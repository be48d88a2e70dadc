"""The starting taxonomy of technologies; administrators edit it afterwards."""

from django.db import migrations

TECHNOLOGIES = [
    ("videosurveillance", "Vidéosurveillance", "Video surveillance",
     "Caméras filmant l'espace public, dites « vidéoprotection » par les autorités.",
     "Cameras filming public space, called “video protection” by the authorities."),
    ("vsa", "Vidéosurveillance algorithmique (VSA)", "Algorithmic video surveillance",
     "Analyse automatique des images de caméras pour détecter des événements, des "
     "comportements ou des personnes (« caméras augmentées »).",
     "Automatic analysis of camera images to detect events, behaviours or people "
     "(“augmented cameras”)."),
    ("reconnaissance-faciale", "Reconnaissance faciale", "Facial recognition",
     "Identification ou authentification de personnes par les traits de leur visage.",
     "Identification or authentication of people by the features of their face."),
    ("biometrie", "Autre identification biométrique", "Other biometric identification",
     "Identification par la démarche, la silhouette, les vêtements, la voix ou d'autres "
     "caractéristiques du corps.",
     "Identification by gait, build, clothing, voice or other features of the body."),
    ("reconnaissance-emotions", "Reconnaissance des émotions", "Emotion recognition",
     "Déduction d'états émotionnels à partir du visage, de la voix ou du comportement.",
     "Inference of emotional states from the face, the voice or behaviour."),
    ("detection-sonore", "Détection audio", "Audio detection",
     "Micros et capteurs qui signalent des « sons anormaux » (cris, tirs, bris de verre).",
     "Microphones and sensors that flag “abnormal sounds” (screams, gunshots, breaking glass)."),
    ("drones", "Drones", "Drones",
     "Aéronefs sans pilote équipés de caméras ou d'autres capteurs.",
     "Unmanned aircraft carrying cameras or other sensors."),
    ("police-predictive", "Police prédictive / observatoire big data",
     "Predictive policing / big-data observatory",
     "Croisement de données pour prévoir des délits ou des troubles.",
     "Cross-referencing data to forecast offences or disorder."),
    ("hypervision", "Centre de supervision urbain / hypervision",
     "Urban supervision centre / hypervision",
     "Salle de commandement qui centralise caméras, capteurs et réseaux urbains.",
     "Command room centralising cameras, sensors and urban networks."),
    ("application-signalement", "Application de signalement citoyen", "Citizen reporting app",
     "Application permettant aux habitants de signaler ou filmer pour la police.",
     "App letting residents report or film for the police."),
    ("surveillance-reseaux-sociaux", "Surveillance des réseaux sociaux",
     "Social-media monitoring",
     "Collecte et analyse automatisées de publications en ligne.",
     "Automated collection and analysis of online posts."),
    ("lapi", "Lecture automatisée de plaques d'immatriculation (LAPI)",
     "Automatic number-plate reading",
     "Caméras qui lisent et enregistrent les plaques des véhicules.",
     "Cameras that read and record vehicle plates."),
    ("portiques-biometriques", "Portiques biométriques", "Biometric access gates",
     "Portes ou portiques filtrant l'accès par reconnaissance biométrique.",
     "Gates filtering access by biometric recognition."),
    ("fichiers-police", "Fichiers de police", "Police files",
     "Fichiers et bases de données de police (TAJ, TES…).",
     "Police files and databases (TAJ, TES…)."),
]


def forwards(apps, schema_editor):
    Technology = apps.get_model("registry", "Technology")
    for position, (slug, name_fr, name_en, def_fr, def_en) in enumerate(TECHNOLOGIES):
        Technology.objects.update_or_create(
            slug=slug,
            defaults=dict(name_fr=name_fr, name_en=name_en, definition_fr=def_fr,
                          definition_en=def_en, position=position),
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_fulltext")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
