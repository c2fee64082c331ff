# A model is imported by its name.
terraform import blaxel_model.chat team-chat
