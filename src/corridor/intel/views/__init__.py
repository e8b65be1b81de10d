"""Intelligence pages for investigators, by subject: ``records``, ``imports``, ``resolution``,
``network`` (analysis, the network view and exports) and ``cross_border`` (requests to the other
node). Every page and export is audited."""
