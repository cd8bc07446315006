"""The branch organisations' studio: questionnaire documents (drafts, versions, publish,
retire), the editor, the trial run and the example answer sets."""
