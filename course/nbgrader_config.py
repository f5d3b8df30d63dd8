"""nbgrader configuration of the careerkit course.

`careerkit course init DIR` copies this file and `source/` into a new course directory;
it also works in place (`cd course && nbgrader generate_assignment m1-skills`).
"""

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "careerkit"
c.CourseDirectory.root = "."
c.CourseDirectory.db_url = "sqlite:///gradebook.db"

# The five modules, in the order students meet them.
MODULES = ["m1-skills", "m2-career", "m3-interviews", "m4-storyboard", "m5-canvas"]

# Students' answers live in answers.json beside each notebook (the forms save them there);
# the solution regions of the source notebooks fill them in memory only.
c.ClearSolutions.code_stub = {"python": "# Your answers are saved by the forms in this notebook (answers.json beside it)."}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Autograde: a looping cell is interrupted after this many seconds and scores 0;
# the rest of the notebook is still graded.
c.ExecutePreprocessor.timeout = 60
c.Execute.timeout = 60

# Files that students write and that must never be replaced by the instructor's copy.
c.Autograde.exclude_overwriting = {m: ["answers.json"] for m in MODULES}

# A test cell a student deleted is put back and run (it would otherwise score nothing).
c.OverwriteCells.add_missing_cells = True
