"""Project models (VideoProject, Photo) come with the projects issue."""
